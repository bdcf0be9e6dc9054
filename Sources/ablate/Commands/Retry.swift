import AblateKit
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

    @OptionGroup var dispatch: DispatchOptionGroup

    func run() async throws {
        let code = try await ErrorReporting.run { () async throws -> Int32 in
            try JobDirectory.prepareWorkdir(dispatch.options().workdir)
            let database = try ResultStore(path: store.path)
            let loaded = try SweepLauncher.record(sweep: sweep, store: database)
            let reset = try database.resetForRetry(sweep: sweep, failedOnly: failed)
            let reporter: any DispatchReporter = dispatch.backend == .local ? ProgressReporter() : LineReporter()
            LineReporter().event("sweep '\(sweep)': \(reset) job(s) to run again")
            for event in try Backends.ingestPending(
                store: database, keys: loaded.plan.stages.flatMap { $0.keys.map(\.hex) })
            {
                LineReporter().event(event)
            }
            let summary = try await Backends.make(dispatch.backend, store: database)
                .start(loaded.plan, options: dispatch.options(rerunCancelled: !failed), reporter: reporter)
            LineReporter().event(summary.text)
            return summary.exitCode
        }
        if code != 0 { throw ExitCode(code) }
    }
}
