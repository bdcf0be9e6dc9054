import Foundation

/// The seam between Ablate and a Slurm cluster: submit, query, cancel. ``SlurmCommandClient`` runs the
/// real `sbatch`, `squeue`, `scontrol` and `scancel`; tests of the planning logic use a fake.
public protocol SlurmClient: Sendable {
    /// Submits a batch script with `sbatch --parsable` and returns the job ID (the array's job ID for
    /// an array).
    ///
    /// - Throws: ``SlurmError/submissionRefused(_:message:)`` when sbatch refuses it.
    func submit(script: URL) throws -> String

    /// The jobs with these IDs (an array's ID stands for all its tasks) that the controller still knows
    /// (pending, running, and finished within `MinJobAge`), array tasks one by one.
    func jobs(ids: [String]) throws -> [SlurmJobInfo]

    /// The jobs with these names that the controller still knows, array tasks one by one.
    func jobs(names: [String]) throws -> [SlurmJobInfo]

    /// Cancels jobs or array tasks (`scancel`).
    func cancel(_ ids: [String]) throws

    /// The cluster's `MaxArraySize`.
    func maxArraySize() throws -> Int
}
