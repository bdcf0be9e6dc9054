import AblateCore
import AblateKit
import AblateStore
import ArgumentParser
import Foundation

/// `ablate retry SWEEP [--failed]`: run a sweep's unsuccessful jobs again.
struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Run a recorded sweep's failed, cancelled and blocked jobs again (only failed ones and what they blocked with --failed)."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The sweep name.")
    var sweep: String

    @Flag(help: "Only failed jobs (and the jobs they blocked), not cancelled ones.")
    var failed = false

    @Option(help: "At most this many jobs at a time.")
    var jobs: Int?

    @Option(help: "Directory for job directories and logs (default: .ablate).")
    var workdir = ".ablate"

    @Option(help: "Where jobs run: local (this machine) or slurm (submit them with sbatch and return).")
    var backend = "local"

    func run() async throws {
        guard backend == "local" || backend == "slurm" else {
            throw ValidationError("unknown backend '\(backend)'; use --backend local or --backend slurm")
        }
        let code = try await ErrorReporting.run { () async throws -> Int32 in
            let database = try ResultStore(path: store.path)
            let loaded = try SweepLauncher.record(sweep: sweep, store: database)
            let reset = try database.resetForRetry(sweep: sweep, failedOnly: failed)
            print("sweep '\(sweep)': \(reset) job(s) to run again")
            if backend == "slurm" {
                let submitter = SlurmSubmitter(
                    store: database, client: SlurmCommandClient(),
                    workdir: URL(fileURLWithPath: workdir).standardizedFileURL,
                    options: .init(resubmitCancelled: !failed, wrapper: LocalBackend().wrapper), report: { print($0) })
                let summary = try submitter.submit(plan: loaded.plan)
                print(summary.text)
                return summary.refused > 0 ? 1 : 0
            }
            let runner = LocalRunner(
                store: database, plan: loaded.plan, workdir: URL(fileURLWithPath: workdir).standardizedFileURL,
                backend: LocalBackend(), options: RunOptions(maxJobs: jobs), reporter: ProgressReporter())
            let summary = try await runner.run()
            print(summary.text)
            return summary.exitCode
        }
        if code != 0 { throw ExitCode(code) }
    }
}
