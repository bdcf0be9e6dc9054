import AblateExecution
import Foundation

/// The machine's CPU and GPU slots for the local backend.
public struct SlotPool: Sendable {
    /// CPU slots in total.
    public let cpus: Int
    /// GPU IDs in total (what `CUDA_VISIBLE_DEVICES` lists).
    public let gpus: [String]
    private(set) var freeCPUs: Int
    private(set) var freeGPUs: [String]

    /// A pool of `cpus` CPU slots and the given GPUs.
    public init(cpus: Int, gpus: [String]) {
        self.cpus = max(1, cpus)
        self.gpus = gpus
        freeCPUs = self.cpus
        freeGPUs = gpus
    }

    /// This machine: its CPU count, and GPUs from `CUDA_VISIBLE_DEVICES` or `nvidia-smi -L`.
    public static func detect(cpus: Int? = nil, gpus: Int? = nil) -> SlotPool {
        let cpuCount = cpus ?? ProcessInfo.processInfo.activeProcessorCount
        if let gpus { return SlotPool(cpus: cpuCount, gpus: (0..<gpus).map(String.init)) }
        if let visible = ProcessInfo.processInfo.environment["CUDA_VISIBLE_DEVICES"] {
            return SlotPool(cpus: cpuCount, gpus: visible.split(separator: ",").map(String.init).filter { !$0.isEmpty })
        }
        return SlotPool(cpus: cpuCount, gpus: (0..<nvidiaGPUCount()).map(String.init))
    }

    private static func nvidiaGPUCount() -> Int {
        for directory in ["/usr/bin", "/usr/local/bin", "/usr/local/nvidia/bin"] {
            let path = directory + "/nvidia-smi"
            guard FileManager.default.isExecutableFile(atPath: path),
                let listing = try? ProcessRunner().run(path, ["-L"])
            else { continue }
            return listing.output.split(separator: "\n").filter { $0.hasPrefix("GPU ") }.count
        }
        return 0
    }

    /// Why a job needing `cpus` and `gpus` can never run here, if it cannot.
    public func impossibility(cpus: Int, gpus: Int) -> String? {
        gpus > self.gpus.count
            ? "needs \(gpus) GPU\(gpus == 1 ? "" : "s"), this machine has \(self.gpus.count); run it with --backend slurm or lower resources.gpus"
            : nil
    }

    /// Takes slots for a job, returning the GPU IDs assigned, or `nil` when not enough are free now.
    /// A job asking for more CPUs than the machine has gets all of them.
    public mutating func acquire(cpus: Int, gpus: Int) -> [String]? {
        let needed = min(cpus, self.cpus)
        guard needed <= freeCPUs, gpus <= freeGPUs.count else { return nil }
        freeCPUs -= needed
        let assigned = Array(freeGPUs.prefix(gpus))
        freeGPUs.removeFirst(gpus)
        return assigned
    }

    /// Returns a job's slots.
    public mutating func release(cpus: Int, gpus: [String]) {
        freeCPUs = min(self.cpus, freeCPUs + min(cpus, self.cpus))
        freeGPUs = (freeGPUs + gpus).sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
    }
}
