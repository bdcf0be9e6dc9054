/// One stage job: what defines it and what it waits for.
public struct PlannedJob: Sendable {
    /// The content-addressed key.
    public let key: Digest
    /// The stage name.
    public let stage: String
    /// The stage's `uses` values, sorted by name: exactly the job's config.
    public let params: [(name: String, value: AxisValue)]
    /// The upstream jobs, one per `after` stage, sorted by stage name.
    public let upstream: [(stage: String, key: Digest)]
    /// The upstream jobs' indices in their stages (aligned with ``upstream``).
    public let upstreamJobIndices: [Int]

    /// The config as a map from name to value.
    public var paramValues: [String: ParamValue] {
        Dictionary(params.map { ($0.name, $0.value.value) }, uniquingKeysWith: { first, _ in first })
    }
}
