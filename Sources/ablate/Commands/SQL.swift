import AblateKit
import ArgumentParser

/// `ablate sql QUERY`: read-only SQL over the results database.
struct SQL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run a read-only SQL query on the results database (writes are refused).",
        discussion:
            "Tables: sweeps, runs, run_params, run_metrics, jobs, run_jobs, attempts, metric_keys, metric_points, metric_summaries, git_revisions, git_diffs."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The SQL statement.")
    var query: String

    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table

    func run() async throws {
        try await ErrorReporting.run {
            let result = try store.openReadOnly().query(sql: query)
            let rows = result.rows.map { row in
                row.map { value -> String? in
                    switch value {
                    case .null: nil
                    case .integer(let number): String(number)
                    case .real(let number):
                        format == .table ? RunTableBuilder.format(number) : RunTableBuilder.exact(number)
                    case .text(let text): text
                    case .blob(let data): "<\(data.count) bytes>"
                    }
                }
            }
            let numeric = Set(
                result.columns.indices.filter { column in
                    !result.rows.isEmpty && result.rows.allSatisfy { $0[column].isNumericOrNull }
                })
            print(TextTable(columns: result.columns, rows: rows, numericColumns: numeric).rendered(as: format))
        }
    }
}
