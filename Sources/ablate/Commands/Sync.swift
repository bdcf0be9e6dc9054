import AblateKit
import AblateStore
import ArgumentParser

/// `ablate sync [SWEEP]`: reconcile the database with the Slurm controller and the job directories.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile jobs submitted to Slurm: states, requeues, exits, metrics.",
        discussion: """
            Reads the controller's view (scontrol) and each job directory's status files, records what
            changed (with Slurm's reason) and ingests new metrics. 'ablate status' does this first too.
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "A sweep name (default: every sweep).")
    var sweep: String?

    func run() async throws {
        try await ErrorReporting.run {
            let database = try ResultStore(path: store.path)
            if let sweep, try !database.sweepNames().contains(sweep) { throw ExecutionError.unknownSweep(sweep) }
            let keys = try sweep.map { try database.sweepJobs(sweep: $0).map(\.key) }
            let report = try SlurmSync(store: database, client: SlurmCommandClient()).reconcile(keys: keys)
            for event in report.events { print(event) }
            print("\(report.open) job(s) pending or running in Slurm")
        }
    }
}
