/// A parsed sweep spec (format v1): which parameter combinations to run, through which stages.
///
/// Obtain one with ``SpecLoader/load(yaml:file:)``, which validates the whole spec and reports every
/// problem at once; expand it into jobs with ``SweepExpander``. The file format is described in
/// `docs/spec-format.md`.
public struct SweepSpec: Sendable {
    /// The sweep name (`[a-z0-9][a-z0-9._-]*`).
    public var name: String
    /// A free-text description.
    public var description: String?
    /// Base values for every run, in the order written.
    public var params: [Assignment.Entry]
    /// Named values per parameter: `presets[param][name]`.
    public var presets: [String: [String: ParamValue]]
    /// Axes multiplied together, outermost first.
    public var grid: [Axis]
    /// Groups of axes that vary together; groups multiply with the grid, after it.
    public var zip: [ZipGroup]
    /// Partial assignments whose matching points are dropped.
    public var exclude: [Assignment]
    /// Extra points (merged over ``params``), added after ``exclude`` is applied.
    public var include: [Assignment]
    /// The stages, in the order written.
    public var stages: [Stage]
    /// Metric declarations used by reports.
    public var metrics: [MetricDeclaration]
    /// Defaults for the Slurm backend (`slurm:`).
    public var slurm: SlurmDefaults
    /// The spec's source text, kept for the results database.
    public var source: String
    /// The checkpoint fan-out, resolved by ``SpecLoader`` once the spec is valid (`nil` without one).
    public var fanOut: SweepFanOut?

    /// Creates a spec from its parts.
    public init(
        name: String, description: String? = nil, params: [Assignment.Entry] = [],
        presets: [String: [String: ParamValue]] = [:], grid: [Axis] = [], zip: [ZipGroup] = [],
        exclude: [Assignment] = [], include: [Assignment] = [], stages: [Stage], metrics: [MetricDeclaration] = [],
        slurm: SlurmDefaults = SlurmDefaults(), source: String = ""
    ) {
        self.slurm = slurm
        self.name = name
        self.description = description
        self.params = params
        self.presets = presets
        self.grid = grid
        self.zip = zip
        self.exclude = exclude
        self.include = include
        self.stages = stages
        self.metrics = metrics
        self.source = source
    }

    /// Every axis, grid axes first, then zip axes group by group.
    public var axes: [Axis] { grid + zip.flatMap(\.axes) }

    /// Every parameter name the spec defines, in order of first appearance (params, grid, zip, include).
    public var parameterNames: [String] {
        var seen = Set<String>()
        var names: [String] = []
        var all = params.map(\.param) + axes.map(\.param) + include.flatMap { $0.entries.map(\.param) }
        if let fanOut {
            all.append(SweepFanOut.parameter)
            if fanOut.tokensPerStep != nil { all.append(SweepFanOut.tokensParameter) }
        }
        for name in all where seen.insert(name).inserted {
            names.append(name)
        }
        return names
    }

    /// The stage called `name`, if any.
    public func stage(named name: String) -> Stage? {
        stages.first { $0.name == name }
    }
}
