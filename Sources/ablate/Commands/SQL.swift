import AblateKit
import ArgumentParser
import Foundation

/// `ablate sql QUERY`: read-only SQL over the results database.
struct SQL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run a read-only SQL query on the results database (writes are refused).",
        discussion: """
            Tables: sweeps, runs, run_params, run_metrics, jobs, run_jobs, attempts, metric_keys, metric_points, \
            metric_summaries, git_revisions, git_diffs, submissions. CSV and JSON stream every row with exact values; \
            the table shows the first --max-rows rows. A query is stopped after --timeout seconds.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(parsing: .allUnrecognized, help: "The SQL statement (it may start with '--' or '-').")
    var query: [String] = []

    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: "Seconds after which the query is stopped.")
    var timeout: Double = 30

    @Option(help: "With --format table: at most this many rows (CSV and JSON print all).")
    var maxRows = 1000

    func validate() throws {
        guard !query.isEmpty else { throw ValidationError("give a SQL statement, such as 'SELECT * FROM runs'") }
        try DispatchOptionGroup.check(timeout, "--timeout", 0.001...86400, unit: "seconds")
        try DispatchOptionGroup.check(maxRows, "--max-rows", 1...10_000_000)
    }

    func run() async throws {
        try await ErrorReporting.run {
            let sql = query.joined(separator: " ")
            let database = try store.openReadOnly()
            switch format {
            case .table: try table(sql, database)
            case .csv, .json: try stream(sql, database)
            }
        }
    }

    /// The first rows as an aligned table, with a note when there are more.
    private func table(_ sql: String, _ database: ResultStore) throws {
        var columns: [String] = []
        var rows: [[SQLValue]] = []
        var more = false
        try database.query(sql: sql, timeout: timeout, columns: { columns = $0 }) { row in
            guard rows.count < maxRows else {
                more = true
                return false
            }
            rows.append(row)
            return true
        }
        let cells = rows.map { $0.map { Self.text($0, exact: false) } }
        let numeric = Set(
            columns.indices.filter { column in !rows.isEmpty && rows.allSatisfy { $0[column].isNumericOrNull } })
        print(TextTable(columns: columns, rows: cells, numericColumns: numeric).text())
        if more {
            ErrorReporting.standardError(
                "(the first \(maxRows) rows; there are more: raise --max-rows, add LIMIT, or use --format csv or json for all)"
            )
        }
    }

    /// Every row, written as it comes: constant memory however many there are.
    private func stream(_ sql: String, _ database: ResultStore) throws {
        let output = BufferedOutput()
        var columns: [String] = []
        var first = true
        try database.query(
            sql: sql, timeout: timeout,
            columns: { names in
                columns = names
                if format == .csv {
                    output.write(TextTable.csvLine(names) + "\n")
                } else {
                    output.write("[")
                }
            }
        ) { row in
            if format == .csv {
                output.write(TextTable.csvLine(row.map { Self.text($0, exact: true) }) + "\n")
            } else {
                var members: [String: ParamValue] = [:]
                for (index, column) in columns.enumerated() { members[column] = Self.json(row[index]) }
                let object = PrettyJSON.render(.object(members)).replacingOccurrences(of: "\n", with: "\n  ")
                output.write((first ? "\n  " : ",\n  ") + object)
                first = false
            }
            return true
        }
        if format == .json { output.write(first ? "]\n" : "\n]\n") }
        output.flush()
    }

    static func text(_ value: SQLValue, exact: Bool) -> String? {
        switch value {
        case .null: nil
        case .integer(let number): String(number)
        case .real(let number): exact ? RunTableBuilder.exact(number) : RunTableBuilder.format(number)
        case .text(let text): text
        case .blob(let data): "<\(data.count) bytes>"
        }
    }

    static func json(_ value: SQLValue) -> ParamValue {
        switch value {
        case .null: .null
        case .integer(let number): .int(number)
        case .real(let number): .double(number)
        case .text(let text): .string(text)
        case .blob(let data): .string("<\(data.count) bytes>")
        }
    }
}

/// Standard output in 64 KiB writes.
private final class BufferedOutput {
    private var buffer = Data()

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
