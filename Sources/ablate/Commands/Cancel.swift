import AblateKit
import ArgumentParser

/// `ablate cancel SWEEP|JOB`: stop a sweep's unfinished jobs, or one job.
struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Stop a sweep's unfinished jobs (or one job); the orchestrator running them records them as cancelled.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "A sweep name, or a job key (unique prefix).")
    var target: String

    func run() async throws {
        try await ErrorReporting.run {
            let database = try ResultStore(path: store.path)
            let keys: [String]
            if try database.sweepNames().contains(target) {
                keys = try database.requestCancel(sweep: target)
            } else if case .job(let key) = try database.resolve(id: target) {
                keys = try database.requestCancel(jobKey: key)
            } else {
                throw ValidationError("'\(target)' is a run; cancel its sweep or one of its jobs")
            }
            let stopped = try Backends.cancel(store: database, keys: keys)
            print("cancellation requested for \(keys.count) job(s)")
            if let inSlurm = stopped[.slurm], !inSlurm.isEmpty {
                print("\(inSlurm.count) job(s) in Slurm cancelled with scancel")
            }
            if let local = stopped[.local], !local.isEmpty {
                print("\(local.count) job(s) had no live orchestrator: stopped and recorded as cancelled here")
            }
        }
    }
}
