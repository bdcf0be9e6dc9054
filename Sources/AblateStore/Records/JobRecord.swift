import AblateCore
import Foundation

/// A job's row as the orchestrator needs it: state, lease, cancellation request and attempts.
public struct JobRecord: Sendable {
    /// One attempt.
    public struct Attempt: Sendable {
        /// The attempt's row ID.
        public var id: Int64
        /// 1 for the first attempt.
        public var number: Int
        /// The backend that runs it.
        public var backend: BackendKind
        /// The supervisor's process ID (local) or the Slurm job ID.
        public var backendJobID: String?
        /// The supervisor's process group.
        public var pgid: Int32?
        /// The host it runs on.
        public var host: String?
        /// `submitted` or `running` while open, then its outcome.
        public var state: AttemptState
        /// Start time.
        public var startedAt: Date?
        /// End time; `nil` while the attempt is open.
        public var endedAt: Date?
    }

    /// The row ID.
    public var id: Int64
    /// The content key (hex).
    public var key: String
    /// The stage.
    public var stage: String
    /// The job's state.
    public var state: JobState
    /// Why the job is in its state, if recorded.
    public var reason: String?
    /// The job directory, once assigned.
    public var outputDir: String?
    /// The orchestrator holding the job's lease.
    public var leaseOwner: String?
    /// When the lease expires unless renewed.
    public var leaseExpires: Date?
    /// Whether `ablate cancel` asked for the job to stop.
    public var cancelRequested: Bool
    /// Attempts, oldest first.
    public var attempts: [Attempt]

    /// The attempt that has not ended, if any.
    public var openAttempt: Attempt? { attempts.last { $0.endedAt == nil } }

    /// Attempts that failed or timed out (these count against `retries`).
    public var failures: Int { attempts.filter(\.state.isFailure).count }
}
