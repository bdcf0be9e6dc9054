/// A run's status, derived from the states of its jobs (`runs.status`; `--where status = ...`).
public enum RunStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// No job failed and not all have run.
    case pending
    /// A job of the run is queued or running.
    case running
    /// Every job succeeded.
    case succeeded
    /// A job failed.
    case failed
    /// A job was cancelled.
    case cancelled
    /// A job was blocked by a failed upstream job.
    case blocked
    /// An imported run (`ablate import`): results recorded from outside, with no jobs.
    case external
}
