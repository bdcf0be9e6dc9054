import AblateKit
import ArgumentParser
import Foundation

extension BackendKind: ExpressibleByArgument {}

/// The options of `ablate run` and `ablate retry` that say where and how jobs run.
struct DispatchOptionGroup: ParsableArguments {
    @Option(help: "Where jobs run: local (this machine) or slurm (submit the DAG with sbatch and return).")
    var backend: BackendKind = .local

    @Option(help: "Directory for job directories and logs (default: .ablate).")
    var workdir = ".ablate"

    @Option(help: "Local: at most this many jobs at a time (default: the CPU count).")
    var jobs: Int?

    @Option(help: "Local: CPU slots to use (default: all of this machine's).")
    var cpus: Int?

    @Option(help: "Local: GPUs to use (default: from CUDA_VISIBLE_DEVICES or nvidia-smi).")
    var gpus: Int?

    @Option(help: "Local: seconds between SIGTERM and SIGKILL when a job is stopped (timeout, Ctrl-C, cancel).")
    var grace: Double = 10

    @Flag(help: "Slurm: stay and reconcile until every job is final (retries are submitted).")
    var watch = false

    @Option(help: "Slurm: at most this many tasks of one job array at a time (the %N throttle).")
    var maxRunning: Int?

    @Flag(help: "Slurm: submit every job with its own sbatch instead of job arrays.")
    var noArrays = false

    @Option(help: "Slurm, with --watch: seconds between reconciliations.")
    var poll: Double = 5

    /// Every number in range: no option reaches the backends as a value they cannot use.
    func validate() throws {
        try Self.check(jobs, "--jobs", 1...4096)
        try Self.check(cpus, "--cpus", 1...65536)
        try Self.check(gpus, "--gpus", 0...4096)
        try Self.check(maxRunning, "--max-running", 1...1_000_000)
        try Self.check(grace, "--grace", 0...86400, unit: "seconds")
        try Self.check(poll, "--poll", 0.1...3600, unit: "seconds")
    }

    static func check(_ value: Int?, _ name: String, _ range: ClosedRange<Int>) throws {
        guard let value, !range.contains(value) else { return }
        throw ValidationError(
            "\(name) \(value) is out of range; give a whole number from \(range.lowerBound) to \(range.upperBound)")
    }

    static func check(_ value: Double, _ name: String, _ range: ClosedRange<Double>, unit: String) throws {
        guard !value.isFinite || !range.contains(value) else { return }
        throw ValidationError(
            "\(name) \(value) is out of range; give \(unit) from \(RunTableBuilder.format(range.lowerBound)) to \(RunTableBuilder.format(range.upperBound))"
        )
    }

    /// The options for the backend, with `rerunCancelled` as the command decides.
    func options(rerunCancelled: Bool = true) -> DispatchOptions {
        DispatchOptions(
            workdir: URL(fileURLWithPath: workdir).standardizedFileURL, maxJobs: jobs, cpus: cpus, gpus: gpus,
            grace: grace, maxRunning: maxRunning, arrays: !noArrays, watch: watch, poll: poll,
            rerunCancelled: rerunCancelled)
    }
}
