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

    func run() async throws {
        let code = try await ErrorReporting.run { () async throws -> Int32 in
            let database = try ResultStore(path: store.path)
            let loaded = try SweepLauncher.record(sweep: sweep, store: database)
            let reset = try database.resetForRetry(sweep: sweep, failedOnly: failed)
            print("sweep '\(sweep)': \(reset) job(s) to run again")
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
