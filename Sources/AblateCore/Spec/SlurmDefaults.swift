/// The spec's `slurm:` section: what every job submitted to Slurm gets unless its stage's `resources`
/// say otherwise. The local backend ignores it.
public struct SlurmDefaults: Sendable, Hashable {
    /// `--KEY=VALUE` options for every job (`partition`, `account`, `qos`, `constraint`, `time`, `mem`).
    public var options: [String: String]
    /// Extra `sbatch` options for every job, before the stage's own.
    public var sbatch: [String]
    /// At most this many tasks of one job array run at a time (the `%N` throttle), if given.
    public var maxRunning: Int?
    /// Seconds before the time limit at which the job gets SIGUSR1 (`--signal=B:USR1@SECONDS`), so that
    /// the trainer can checkpoint. Default 120.
    public var signalSeconds: Int

    /// The keys that become `--KEY=VALUE`.
    public static let optionKeys = ["partition", "account", "qos", "constraint", "time", "mem"]

    /// Creates defaults.
    public init(
        options: [String: String] = [:], sbatch: [String] = [], maxRunning: Int? = nil, signalSeconds: Int = 120
    ) {
        self.options = options
        self.sbatch = sbatch
        self.maxRunning = maxRunning
        self.signalSeconds = signalSeconds
    }
}
