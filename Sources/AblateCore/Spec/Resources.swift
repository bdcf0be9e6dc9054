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

extension Resources {
    /// The time limit in seconds, from Slurm's formats (`minutes`, `minutes:seconds`,
    /// `hours:minutes:seconds`, `days-hours`, `days-hours:minutes`, `days-hours:minutes:seconds`), or `nil`
    /// without one (or for `infinite`/`UNLIMITED`).
    public var timeLimitSeconds: Double? {
        guard let time = time?.trimmingSpaces(), !time.isEmpty else { return nil }
        var days = 0.0
        var rest = Substring(time)
        if let dash = rest.firstIndex(of: "-") {
            guard let value = Double(rest[..<dash]) else { return nil }
            days = value
            rest = rest[rest.index(after: dash)...]
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard !parts.contains(where: { $0 == nil }), (1...3).contains(parts.count) else { return nil }
            let values = parts.map { $0! } + [Double](repeating: 0, count: 3 - parts.count)
            return days * 86_400 + values[0] * 3_600 + values[1] * 60 + values[2]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        guard !parts.contains(where: { $0 == nil }) else { return nil }
        let values = parts.map { $0! }
        switch values.count {
        case 1: return values[0] * 60
        case 2: return values[0] * 60 + values[1]
        case 3: return values[0] * 3_600 + values[1] * 60 + values[2]
        default: return nil
        }
    }
}
