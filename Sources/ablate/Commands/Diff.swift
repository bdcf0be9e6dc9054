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

    @Flag(help: "Compare the two configurations over their seeds: per metric the difference, its interval and p-value.")
    var stats = false

    @Option(help: "With --stats: the replicate parameters (comma-separated).")
    var over = "seed"

    @Option(help: "With --stats: the confidence level.")
    var ci = 0.95

    func validate() throws {
        try DispatchOptionGroup.check(ci, "--ci", 0.5...0.9999, unit: "a level")
    }

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
            if stats {
                let comparison = try ConfigurationComparison.compare(
                    details[0].run, details[1].run, over: over.split(separator: ",").map(String.init), level: ci,
                    store: database)
                print(RunDiffText.render(comparison))
            }
        }
    }
}
