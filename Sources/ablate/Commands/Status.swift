import AblateCore
import AblateKit
import AblateStore
import ArgumentParser

/// `ablate status [SWEEP]`: job states per stage, and what failed with its log.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show each sweep's jobs per stage and state, and the failed ones with their logs.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "A sweep name (default: every sweep).")
    var sweep: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await ErrorReporting.run {
            let database = try store.openReadOnly()
            if let sweep, try !database.sweepNames().contains(sweep) { throw ExecutionError.unknownSweep(sweep) }
            let rows = try database.sweepJobs(sweep: sweep)
            print(json ? StatusReport.json(rows) : StatusReport.text(rows))
        }
    }
}
