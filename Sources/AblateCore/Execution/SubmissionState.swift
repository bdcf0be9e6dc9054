/// Where one `sbatch` submission is (`submissions.state`).
public enum SubmissionState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Recorded; sbatch is running or was interrupted before its answer was recorded.
    case submitting
    /// sbatch answered with a job ID.
    case submitted
    /// sbatch refused the script; its jobs failed with sbatch's message.
    case refused
    /// It never reached Slurm (ablate stopped before sbatch ran); its jobs are submitted again.
    case lost
}
