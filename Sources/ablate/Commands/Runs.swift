import AblateKit
import ArgumentParser

/// `ablate runs`: filter past runs.
struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List runs, filtered by parameters, metrics, status, sweep or git state.",
        discussion: """
            --where takes comparisons (= != < <= > >=), 'in (...)', and, or, not and parentheses over
            parameters, metric.KEY (or metric.STAGE.KEY), status, sweep, git.commit, git.branch and git.dirty:
              ablate runs --where "train_length >= 65536 and long_data in (books, code_repos) and metric.recall > 90"
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: "Only this sweep's runs.")
    var sweep: String?

    @Option(name: .customLong("where"), help: "A filter expression.")
    var filter: String?

    @Option(help: "Comma-separated columns: id, sweep, status, created, parameter names, metric.KEY.")
    var columns: String?

    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: "Show at most this many runs.")
    var limit: Int?

    func validate() throws {
        try DispatchOptionGroup.check(limit, "--limit", 0...Int(Int32.max))
    }

    func run() async throws {
        try await ErrorReporting.run {
            let results = try store.openReadOnly().runs(sweep: sweep, where: filter, limit: limit)
            let table = RunTableBuilder(columns: RunTableBuilder.parseColumns(columns))
                .table(for: results, exact: format != .table)
            print(table.rendered(as: format))
            if format == .table {
                ErrorReporting.standardError("\(results.count) run\(results.count == 1 ? "" : "s")")
            }
        }
    }
}
