import Foundation

/// How `ablate run` and `ablate retry` dispatch a sweep; each backend reads the options that apply to it.
public struct DispatchOptions: Sendable {
    /// Where job directories go (`WORKDIR/jobs/STAGE/KEY`).
    public var workdir: URL
    /// Local: at most this many jobs at a time (default: the CPU count).
    public var maxJobs: Int?
    /// Local: CPU slots to use (default: all of this machine's).
    public var cpus: Int?
    /// Local: GPUs to use (default: from `CUDA_VISIBLE_DEVICES` or `nvidia-smi`).
    public var gpus: Int?
    /// Local: seconds between SIGTERM and SIGKILL when a job is stopped.
    public var grace: Double
    /// Local: whether SIGINT and SIGTERM stop the run cleanly (the command line sets this).
    public var handleSignals: Bool
    /// Slurm: at most this many tasks of one array at a time (overrides `slurm.max_running`).
    public var maxRunning: Int?
    /// Slurm: whether siblings go out as job arrays.
    public var arrays: Bool
    /// Slurm: stay and reconcile until every job is final.
    public var watch: Bool
    /// Slurm: seconds between reconciliations while watching.
    public var poll: Double
    /// Whether cancelled jobs run again (`ablate retry --failed` leaves them).
    public var rerunCancelled: Bool

    /// Options with the defaults of `ablate run`.
    public init(
        workdir: URL, maxJobs: Int? = nil, cpus: Int? = nil, gpus: Int? = nil, grace: Double = 10,
        handleSignals: Bool = true, maxRunning: Int? = nil, arrays: Bool = true, watch: Bool = false,
        poll: Double = 5, rerunCancelled: Bool = true
    ) {
        self.workdir = workdir
        self.maxJobs = maxJobs
        self.cpus = cpus
        self.gpus = gpus
        self.grace = grace
        self.handleSignals = handleSignals
        self.maxRunning = maxRunning
        self.arrays = arrays
        self.watch = watch
        self.poll = poll
        self.rerunCancelled = rerunCancelled
    }
}
