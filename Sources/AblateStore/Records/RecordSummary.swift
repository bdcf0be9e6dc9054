/// What recording a sweep changed in the database.
public struct RecordSummary: Sendable, Equatable {
    /// The sweep's row ID.
    public var sweepID: Int64
    /// Runs added by this recording.
    public var newRuns: Int
    /// Runs that were already recorded.
    public var existingRuns: Int
    /// Jobs added (never seen by any sweep before).
    public var newJobs: Int
    /// Jobs that an earlier run or sweep already recorded, and are shared.
    public var existingJobs: Int
}
