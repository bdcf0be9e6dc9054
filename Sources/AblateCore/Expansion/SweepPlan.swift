/// A sweep expanded into runs (sweep points) and a DAG of content-addressed stage jobs.
///
/// Storage is compact so that a million-point sweep fits in memory: points are rows of interned value
/// indices, and each stage keeps one tuple and one key per *distinct* job. Use ``run(_:)`` and
/// ``job(stage:index:)`` for readable views.
public struct SweepPlan: Sendable {
    /// The validated spec.
    public let spec: SweepSpec
    /// Every parameter, in order of first appearance.
    public var parameters: [String] { table.names }
    /// The stages in dependency order (every stage after its upstream stages).
    public let stages: [StagePlan]
    /// The number of runs (sweep points).
    public let runCount: Int
    let table: ValueTable
    /// `runCount` rows of `parameters.count` value indices (`ValueTable.absent` where unset).
    let points: [UInt32]

    init(spec: SweepSpec, table: ValueTable, points: [UInt32], runCount: Int, stages: [StagePlan]) {
        self.spec = spec
        self.table = table
        self.points = points
        self.runCount = runCount
        self.stages = stages
    }

    /// The stage plan named `name`, if any.
    public func stage(named name: String) -> StagePlan? {
        stages.first { $0.name == name }
    }

    /// Every job of the sweep, stage by stage in dependency order.
    public var jobCount: Int { stages.reduce(0) { $0 + $1.jobCount } }

    /// The parameters whose value differs between runs (or is missing from some), in ``parameters`` order.
    public var varyingParameters: [String] {
        let width = table.names.count
        guard runCount > 1, width > 0 else { return [] }
        return (0..<width).filter { param in
            let first = points[param]
            return (1..<runCount).contains { points[$0 * width + param] != first }
        }.map { table.names[$0] }
    }

    /// The parameters of run `index`, in ``parameters`` order, with their labels.
    public func runParams(_ index: Int) -> [(name: String, value: AxisValue)] {
        let width = table.names.count
        var out: [(String, AxisValue)] = []
        for param in 0..<width {
            let valueIndex = points[index * width + param]
            if valueIndex != ValueTable.absent {
                out.append((table.names[param], table.value(param: param, index: valueIndex)))
            }
        }
        return out
    }

    /// The run's ID: SHA-256 of `ablate-run-v1`, the sweep name and the canonical JSON of its params.
    public func runID(_ index: Int) -> Digest {
        var message = Array("ablate-run-v1\n".utf8)
        message.append(contentsOf: spec.name.utf8)
        message.append(UInt8(ascii: "\n"))
        let params = Dictionary(runParams(index).map { ($0.name, $0.value.value) }, uniquingKeysWith: { a, _ in a })
        CanonicalJSON.append(.object(params), to: &message)
        return SHA256.hash(message)
    }

    /// A readable view of run `index`.
    public func run(_ index: Int) -> PlannedRun {
        PlannedRun(
            index: index, id: runID(index), params: runParams(index),
            jobs: stages.map { stage in stage.keys[stage.job(ofRun: index)] })
    }

    /// A readable view of job `index` of stage `stageIndex`.
    public func job(stage stageIndex: Int, index: Int) -> PlannedJob {
        let stage = stages[stageIndex]
        let tuple = stage.tuples[(index * stage.width)..<((index + 1) * stage.width)]
        var params: [(name: String, value: AxisValue)] = []
        for (offset, param) in stage.usesParams.enumerated() {
            let valueIndex = tuple[tuple.startIndex + offset]
            params.append((table.names[param], table.value(param: param, index: valueIndex)))
        }
        var upstream: [(stage: String, key: Digest)] = []
        var upstreamJobs: [Int] = []
        for (offset, upstreamIndex) in stage.upstreamStages.enumerated() {
            let job = Int(tuple[tuple.startIndex + stage.usesParams.count + offset])
            upstream.append((stages[upstreamIndex].name, stages[upstreamIndex].keys[job]))
            upstreamJobs.append(job)
        }
        return PlannedJob(
            key: stage.keys[index], stage: stage.name, params: params, upstream: upstream,
            upstreamJobIndices: upstreamJobs)
    }
}
