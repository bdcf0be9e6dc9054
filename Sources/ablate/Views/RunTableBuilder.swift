import AblateKit
import Foundation

/// Turns query results into a table: chosen columns, or a sensible default (ID, sweep, status, the
/// parameters that differ between the runs, and their metrics).
public struct RunTableBuilder: Sendable {
    /// The column names given with `--columns`, or `nil` for the default.
    public var columns: [String]?
    /// How many metric columns the default shows at most.
    public var maxDefaultMetrics = 8

    /// Creates a builder.
    public init(columns: [String]? = nil) {
        self.columns = columns
    }

    /// Parses `--columns id,sweep,long_data,metric.recall`.
    public static func parseColumns(_ text: String?) -> [String]? {
        guard let text, !text.isEmpty else { return nil }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The columns to show for `runs`.
    public func resolvedColumns(for runs: [RunRow]) -> [String] {
        if let columns { return columns }
        var order: [String] = []
        for run in runs {
            for name in run.paramOrder where !order.contains(name) { order.append(name) }
        }
        let varying = order.filter { name in
            guard let first = runs.first, runs.count > 1 else { return true }
            let value = first.params[name]
            let label = first.labels[name]
            return runs.contains { $0.params[name] != value || $0.labels[name] != label }
        }
        var keys = Set<String>()
        for run in runs {
            for key in run.metrics.keys where !keys.contains(key) && !key.utf8.contains(UInt8(ascii: ".")) {
                keys.insert(key)
            }
        }
        let metricKeys = keys.sorted()
        return ["id", "sweep", "status"] + varying + metricKeys.prefix(maxDefaultMetrics).map { "metric.\($0)" }
    }

    /// The table for `runs`: metric values rounded for the terminal, or, with `exact` (CSV and JSON,
    /// which are data), exactly as stored.
    public func table(for runs: [RunRow], exact: Bool = false) -> TextTable {
        let columns = resolvedColumns(for: runs)
        var numeric = Set<Int>()
        for (index, column) in columns.enumerated() where column.hasPrefix("metric.") { numeric.insert(index) }
        let rows = runs.map { run in columns.map { cell(run, column: $0, exact: exact) } }
        return TextTable(columns: columns, rows: rows, numericColumns: numeric)
    }

    private func cell(_ run: RunRow, column: String, exact: Bool) -> String? {
        switch column {
        case "id": return String(run.id.prefix(12))
        case "run_id", "full_id": return run.id
        case "sweep": return run.sweep
        case "status": return run.status.rawValue
        case "created": return run.createdAt.formatted(.iso8601)
        default:
            if column.hasPrefix("metric.") {
                let key = String(column.dropFirst("metric.".count))
                guard let value = run.metrics[key] else { return nil }
                return value.map(exact ? Self.exact : Self.format) ?? "NaN"
            }
            let name = column.hasPrefix("params.") ? String(column.dropFirst("params.".count)) : column
            return run.display(param: name)
        }
    }

    /// Metric values for a person: whole numbers as they are, others rounded to 4 significant digits
    /// (`91.25`, `0.0001235`, `123500000`, `1.235e+15`). The rounding is the C library's decimal one
    /// (`%.4g`), never a division that leaves binary noise.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        if value.rounded() == value, abs(value) < 1e12 { return String(Int64(value)) }
        let magnitude = Int((abs(value)).log10Floor)
        let rounded = String(format: "%.4g", value)
        guard magnitude > -5, magnitude < 12, let number = Double(rounded) else { return rounded }
        if number.rounded() == number { return String(Int64(number)) }
        return number.description
    }

    /// A value exactly as stored, in its shortest round-trip form (`123456789.123`, `1e-07`); whole
    /// numbers without a fraction.
    public static func exact(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        if value.rounded() == value, abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        return value.description
    }
}

extension Double {
    fileprivate var log10Floor: Double { Foundation.log10(self).rounded(.down) }
}
