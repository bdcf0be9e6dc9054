import AblateCore
import Foundation

/// One `sbatch` call, as recorded before it ran.
public struct SubmissionRecord: Sendable, Equatable {
    /// The row ID.
    public var id: Int64
    /// The token in the job's `--comment` (`ablate:TOKEN`).
    public var token: String
    /// The sweep.
    public var sweep: String
    /// The stage.
    public var stage: String
    /// The batch script.
    public var script: String
    /// Where the submission is.
    public var state: SubmissionState
    /// The Slurm job ID (the array's), once known.
    public var slurmJobID: String?
}
