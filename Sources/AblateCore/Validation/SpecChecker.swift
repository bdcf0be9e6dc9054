/// Cross-reference checks over a parsed spec: parameters, presets, stages and placeholders.
struct SpecChecker {
    let spec: SweepSpec
    let presets: PresetTable
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(spec: SweepSpec, presets: PresetTable, file: String) {
        self.spec = spec
        self.presets = presets
        self.file = file
    }

    /// Runs every check; returns whether the stage graph is sound enough to expand.
    mutating func check() -> Bool {
        checkAxes()
        let known = Set(spec.params.map(\.param) + spec.axes.map(\.param))
        checkPresets(known: known)
        checkAssignments(known: known)
        return checkStages(known: known)
    }

    mutating func report(_ location: SourceLocation, _ message: String, severity: Diagnostic.Severity = .error) {
        diagnostics.append(Diagnostic(file: file, location: location, severity: severity, message: message))
    }

    private mutating func checkAxes() {
        var axisLocations: [String: SourceLocation] = [:]
        for axis in spec.axes {
            if let earlier = axisLocations[axis.param] {
                report(
                    axis.location,
                    "parameter '\(axis.param)' is already an axis at \(earlier); a parameter can vary in one place only"
                )
                continue
            }
            axisLocations[axis.param] = axis.location
            if let base = spec.params.first(where: { $0.param == axis.param }) {
                report(
                    base.location,
                    "'\(axis.param)' in 'params' is overridden by the axis at \(axis.location); remove one of them",
                    severity: .warning)
            }
        }
    }

    private mutating func checkPresets(known: Set<String>) {
        var used: Set<[String]> = []
        let entries = spec.params + spec.include.flatMap(\.entries) + spec.exclude.flatMap(\.entries)
        for entry in entries {
            if let label = entry.value.label { used.insert([entry.param, label]) }
        }
        for axis in spec.axes {
            for value in axis.values {
                if let label = value.label { used.insert([axis.param, label]) }
            }
        }
        for (param, names) in presets.locations.sorted(by: { $0.key < $1.key }) {
            if !known.contains(param) {
                report(
                    presets.paramLocations[param] ?? SourceLocation(line: 1, column: 1),
                    "presets are given for unknown parameter '\(param)'" + NameSuggestion.hint(for: param, in: known))
                continue
            }
            for (name, location) in names where !used.contains([param, name]) {
                report(
                    location,
                    "preset '\(name)' of parameter '\(param)' is never used; use it in params, grid, zip or include, or remove it"
                )
            }
        }
    }

    private mutating func checkAssignments(known: Set<String>) {
        for (section, assignments) in [("exclude", spec.exclude), ("include", spec.include)] {
            for entry in assignments.flatMap(\.entries) where !known.contains(entry.param) {
                report(
                    entry.location,
                    "unknown parameter '\(entry.param)' in \(section)"
                        + (NameSuggestion.nearest(to: entry.param, in: known).map { "; did you mean '\($0)'?" }
                            ?? "; \(section) entries can only name parameters that 'params', 'grid' or 'zip' define"))
            }
        }
    }
}
