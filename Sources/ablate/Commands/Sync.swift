import AblateKit
import ArgumentParser

/// `ablate sync [SWEEP]`: reconcile the database with the backends and the job directories.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile open attempts with their backend: states, requeues, exits, metrics.",
        discussion: """
            For jobs submitted to Slurm, reads the controller's view (squeue) and each job directory's
            status files, records what changed (with Slurm's reason) and ingests new metrics. Local jobs
            whose orchestrator is gone are settled from their status files. 'ablate status' does this first too.
            Then, for sweeps that fan out over the checkpoints of trainings in Slurm, submits the jobs of
            checkpoints that have become ready (the last checkpoint's were submitted after the training).
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "A sweep name (default: every sweep).")
    var sweep: String?

    func run() async throws {
        try await ErrorReporting.run {
            let database = try ResultStore(path: store.path)
            if let sweep, try !database.sweepNames().contains(sweep) { throw ExecutionError.unknownSweep(sweep) }
            let keys = try sweep.map { try database.sweepJobs(sweep: $0).map(\.key) }
            let observation = try Backends.observe(store: database, keys: keys)
            for event in observation.events { print(event) }
            let submitted = try CheckpointSubmission.submitReady(
                store: database, sweeps: sweep.map { [$0] }, report: { print($0) })
            if submitted > 0 { print("submitted \(submitted) job(s) of checkpoints that are ready") }
            print("\(observation.open + submitted) job(s) pending or running")
        }
    }
}
