import AblateKit
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

    @Flag(
        help:
            "List, per succeeded run, the declared metrics it has no value for and what its collectors could not read.")
    var missing = false

    @Flag(help: "Do not reconcile open attempts with their backend (Slurm, orphaned local jobs) first.")
    var noSync = false

    func run() async throws {
        try await ErrorReporting.run {
            var database = try store.openReadOnly()
            if let sweep, try !database.sweepNames().contains(sweep) { throw ExecutionError.unknownSweep(sweep) }
            if !noSync, try Backends.haveOpenWork(in: database) {
                database = try ResultStore(path: store.path)
                let keys = try sweep.map { try database.sweepJobs(sweep: $0).map(\.key) }
                _ = try Backends.observe(store: database, keys: keys)
            }
            if missing {
                for name in try sweep.map({ [$0] }) ?? database.sweepNames() {
                    let (entries, unfinished) = try MissingResults.report(store: database, sweep: name)
                    print(MissingResults.text(entries, unfinished: unfinished, sweep: name))
                }
                return
            }
            let rows = try database.sweepJobs(sweep: sweep)
            print(json ? StatusReport.json(rows) : StatusReport.text(rows))
            if !json {
                for name in try sweep.map({ [$0] }) ?? database.sweepNames() {
                    let trainings = try CheckpointInventory.report(store: database, sweep: name)
                    if !trainings.isEmpty { print("\n" + CheckpointInventory.text(trainings)) }
                    let compute = try ComputeLedger.sweep(name, store: database).total
                    if compute.attempts > 0 { print(ComputeLedger.text(compute, sweep: name)) }
                }
            }
        }
    }
}
