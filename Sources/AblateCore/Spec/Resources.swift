/// What one job of a stage needs from the machine or the cluster.
public struct Resources: Sendable, Hashable {
    /// CPU cores (default 1).
    public var cpus: Int
    /// GPUs (default 0). The local backend assigns them through `CUDA_VISIBLE_DEVICES`.
    public var gpus: Int
    /// Memory, as Slurm spells it (`64G`, `500M`), if given.
    public var mem: String?
    /// Wall-clock limit, as Slurm spells it (`2-00:00:00`, `90`), if given.
    public var time: String?
    /// Nodes per job (Slurm `--nodes`), if given.
    public var nodes: Int?
    /// Backend-specific extras such as `partition`, `account`, `qos` or `constraint`; the Slurm backend
    /// passes each as `--KEY=VALUE`.
    public var extras: [String: String]
    /// Extra `sbatch` options, one per entry, as written after `#SBATCH` (`--exclusive`,
    /// `--constraint=h100`).
    public var sbatch: [String]

    /// Creates a resource request.
    public init(
        cpus: Int = 1, gpus: Int = 0, mem: String? = nil, time: String? = nil, nodes: Int? = nil,
        extras: [String: String] = [:], sbatch: [String] = []
    ) {
        self.cpus = cpus
        self.gpus = gpus
        self.mem = mem
        self.time = time
        self.nodes = nodes
        self.extras = extras
        self.sbatch = sbatch
    }
}
