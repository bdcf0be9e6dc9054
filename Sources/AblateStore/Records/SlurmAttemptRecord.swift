import AblateCore
import Foundation

/// An open attempt of a job submitted to Slurm, with what reconciling it needs.
public struct SlurmAttemptRecord: Sendable, Equatable {
    /// The attempt's row ID.
    public var id: Int64
    /// The job key.
    public var jobKey: String
    /// The stage.
    public var stage: String
    /// The attempt number.
    public var number: Int
    /// The Slurm job or array task ID (`123`, `123_4`), once sbatch answered.
    public var slurmID: String?
    /// The submission's row ID.
    public var submissionID: Int64
    /// The job directory.
    public var outputDir: String?
    /// The job state.
    public var jobState: JobState
    /// How many times a failed attempt of this job may be retried.
    public var retries: Int
    /// Failed (or timed-out) attempts of this job so far.
    public var failures: Int
    /// When the attempt started running, if it has.
    public var startedAt: Date?
    /// The job's recorded reason.
    public var reason: String?
    /// The number of the first attempt of this submission (a requeued job's attempts follow it).
    public var firstNumber: Int
}
