import AblateCore
import AblateKit
import AblateStore
import ArgumentParser
import Foundation

/// `ablate run SPEC`: record a sweep and run its missing jobs.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a sweep and run every job it needs that has not succeeded yet.",
        discussion: """
            Jobs that already succeeded (by key, from any sweep) are reused; failed ones run again. Stop it
            with Ctrl-C or kill it at any moment: running the same command again resumes exactly the missing
            work. Exit status 0 only when every job of the sweep succeeded.
            """
    )

    @Argument(help: "The sweep spec (YAML).")
    var spec: String

    @Option(help: "Where jobs run: local (this machine) or slurm (submit the DAG with sbatch and return).")
    var backend = "local"

    @Flag(help: "With --backend slurm: stay and reconcile until every job is final (retries are submitted).")
    var watch = false

    @Option(help: "With --backend slurm: at most this many tasks of one job array at a time (the %N throttle).")
    var maxRunning: Int?

    @Flag(help: "With --backend slurm: submit every job with its own sbatch instead of job arrays.")
    var noArrays = false

    @Option(help: "With --watch: seconds between reconciliations.")
    var poll: Double = 5

    @Option(help: "At most this many jobs at a time (default: the CPU count).")
    var jobs: Int?

    @Option(help: "CPU slots to use (default: all of this machine's).")
    var cpus: Int?

    @Option(help: "GPUs to use (default: from CUDA_VISIBLE_DEVICES or nvidia-smi).")
    var gpus: Int?

    @Option(help: "Seconds between SIGTERM and SIGKILL when a job is stopped (timeout, Ctrl-C, cancel).")
    var grace: Double = 10

    @OptionGroup var store: StoreOptions

    @Option(help: "Directory for job directories and logs (default: .ablate).")
    var workdir = ".ablate"

    @Flag(help: "Start the orchestrator in the background and return at once.")
    var detach = false

    func run() async throws {
        guard backend == "local" || backend == "slurm" else {
            throw ValidationError("unknown backend '\(backend)'; use --backend local or --backend slurm")
        }
        if backend == "slurm" {
            try await runOnSlurm()
            return
        }
        if detach {
            try await ErrorReporting.run { try detachSelf() }
            return
        }
        let code = try await ErrorReporting.run { () async throws -> Int32 in
            let database = try ResultStore(path: store.path)
            let (loaded, recorded) = try SweepLauncher.record(specPath: spec, store: database)
            ErrorReporting.printWarnings(loaded.warnings, source: loaded.spec.source)
            FileHandle.standardOutput.write(
                Data(
                    ("sweep '\(loaded.spec.name)': \(loaded.plan.runCount) runs, \(loaded.plan.jobCount) jobs "
                        + "(\(recorded.newJobs) new, \(recorded.existingJobs) already recorded)\n").utf8))
            let options = RunOptions(maxJobs: jobs, slots: .detect(cpus: cpus, gpus: gpus), grace: grace)
            let runner = LocalRunner(
                store: database, plan: loaded.plan, workdir: URL(fileURLWithPath: workdir).standardizedFileURL,
                backend: LocalBackend(), options: options, reporter: ProgressReporter())
            let summary = try await runner.run()
            print(summary.text)
            return summary.exitCode
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// Re-executes this command without `--detach` in a new session, logging to the work directory.
    private func detachSelf() throws {
        let log = URL(fileURLWithPath: workdir).appendingPathComponent("orchestrator.log")
        try FileManager.default.createDirectory(
            at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        let arguments = CommandLine.arguments.filter { $0 != "--detach" }
        let command =
            arguments.map(ShellQuoting.quote).joined(separator: " ") + " >> " + ShellQuoting.quote(log.path) + " 2>&1"
        let pid = try Detacher.start(command: command)
        print("started in the background (pid \(pid)); log: \(log.path)")
        print("follow it with 'tail -f \(log.path)' or 'ablate status'")
    }
}
