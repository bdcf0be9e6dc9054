/// Which backend runs a job's attempts, as `--backend` names it and as each attempt records it.
///
/// A backend is a module conforming to the execution protocol's `Backend`, plus one case here.
public enum BackendKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Processes on this machine, supervised by a foreground `ablate run`.
    case local
    /// Batch jobs submitted to a Slurm cluster with `sbatch`; `ablate run` submits and returns.
    case slurm
}
