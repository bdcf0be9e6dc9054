/// Where one attempt of a job is, as the results database records it (`attempts.state` and, once the
/// attempt ended, `attempts.outcome`).
public enum AttemptState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Handed to Slurm with `sbatch`; not running yet.
    case submitted
    /// Its command runs.
    case running
    /// It exited 0.
    case succeeded
    /// It exited non-zero or was killed by a signal.
    case failed
    /// It ran past its time limit.
    case timeout
    /// It was stopped on request.
    case cancelled
    /// Its process (or host, or submission) vanished without an exit status; it is run again without
    /// using a retry.
    case lost
    /// Slurm requeued it; the next attempt resumes in the same job directory.
    case requeued
    /// Slurm will never run it because an upstream job did not succeed.
    case blocked

    /// Whether the attempt has not ended yet.
    public var isOpen: Bool { self == .submitted || self == .running }

    /// Whether the attempt counts against the stage's `retries` (a failure of the job's own making).
    public var isFailure: Bool { self == .failed || self == .timeout }
}
