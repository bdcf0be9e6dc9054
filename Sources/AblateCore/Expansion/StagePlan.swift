/// The jobs of one stage after expansion, stored compactly (one tuple and one key per distinct job).
public struct StagePlan: Sendable {
    /// The stage.
    public let stage: Stage
    /// Index of the stage in ``SweepPlan/stages`` (topological order).
    public let index: Int
    /// The parameter indices the stage uses, sorted by name (the order of its canonical config).
    let usesParams: [Int]
    /// Indices into ``SweepPlan/stages`` of the upstream stages, sorted by name.
    public let upstreamStages: [Int]
    /// Per job: `uses` value indices, then upstream job indices.
    let tuples: [UInt32]
    /// The content-addressed key of every job, by job index.
    public let keys: [Digest]
    /// The job index of every run, by run index.
    let jobOfRun: [UInt32]

    init(
        stage: Stage, index: Int, usesParams: [Int], upstreamStages: [Int], tuples: [UInt32], keys: [Digest],
        jobOfRun: [UInt32]
    ) {
        self.stage = stage
        self.index = index
        self.usesParams = usesParams
        self.upstreamStages = upstreamStages
        self.tuples = tuples
        self.keys = keys
        self.jobOfRun = jobOfRun
    }

    /// The stage name.
    public var name: String { stage.name }

    /// The number of distinct jobs.
    public var jobCount: Int { keys.count }

    /// The job that run `run` needs from this stage.
    public func job(ofRun run: Int) -> Int { Int(jobOfRun[run]) }

    /// How many runs share each job, by job index.
    public var runsPerJob: [Int] {
        var counts = [Int](repeating: 0, count: jobCount)
        for job in jobOfRun { counts[Int(job)] += 1 }
        return counts
    }

    var width: Int { usesParams.count + upstreamStages.count }
}
