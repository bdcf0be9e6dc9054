import AblateKit
import ArgumentParser

/// `ablate diff ID1 ID2`: what differs between two runs.
struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two runs: parameters, metrics and git state (commit, branch, dirty, diff)."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The first run ID (or unique prefix).")
    var first: String

    @Argument(help: "The second run ID (or unique prefix).")
    var second: String

    func run() async throws {
        try await ErrorReporting.run {
            let database = try store.openReadOnly()
            var details: [RunDetail] = []
            for id in [first, second] {
                guard case .run(let runID) = try database.resolve(id: id) else {
                    throw ValidationError("'\(id)' is a job, not a run; 'ablate diff' compares runs")
                }
                details.append(try database.runDetail(id: runID))
            }
            print(RunDiffText.render(details[0], details[1]))
        }
    }
}
