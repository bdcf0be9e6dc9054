/// Where a job is in its lifecycle, as the results database records it.
public enum JobState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Recorded, not yet run.
    case new
    /// Waiting for a slot (after a retry is scheduled, or while upstream jobs run).
    case queued
    /// An attempt is running.
    case running
    /// The last attempt exited 0.
    case succeeded
    /// Every allowed attempt failed (non-zero exit, signal, timeout).
    case failed
    /// Stopped on request (Ctrl-C, `ablate cancel`).
    case cancelled
    /// Not run because an upstream job failed or was cancelled.
    case blocked

    /// Whether nothing more will happen to the job without a `retry`.
    public var isFinal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled, .blocked: true
        case .new, .queued, .running: false
        }
    }
}
