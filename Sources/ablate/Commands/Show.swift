import AblateKit
import ArgumentParser

/// `ablate show ID`: everything about one run or job.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a run (or job): params, jobs and attempts, metric summaries, git provenance, log paths.",
        discussion: "IDs may be abbreviated to a unique prefix, as with git."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "A run ID or job key, or a unique prefix of one.")
    var id: String

    @Flag(help: "Also print the uncommitted diff of each recorded git revision.")
    var diff = false

    func run() async throws {
        try await ErrorReporting.run {
            let database = try store.openReadOnly()
            switch try database.resolve(id: id) {
            case .run(let runID):
                let detail = try database.runDetail(id: runID)
                print(RunDetailText.render(detail))
                if let compute = try ComputeLedger.sweep(detail.run.sweep, store: database).runs[detail.run.id] {
                    print(ComputeLedger.runText(alone: compute.alone, share: compute.share))
                }
                if diff {
                    for (role, revision) in detail.revisions where !revision.diff.isEmpty {
                        print("\ndiff (\(role)):\n\(revision.diff)")
                    }
                }
            case .job(let key):
                print(RunDetailText.render(try database.jobDetail(key: key)).joined(separator: "\n"))
            }
        }
    }
}
