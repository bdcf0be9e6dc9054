import AblateKit

/// Plain tables for the terminal, CSV and JSON renderings of query results.
public struct TextTable: Sendable {
    /// Column titles.
    public var columns: [String]
    /// Cells, row by row; `nil` renders as `-` (text), empty (CSV) or `null` (JSON).
    public var rows: [[String?]]
    /// Columns whose cells are numbers (right-aligned; unquoted in JSON).
    public var numericColumns: Set<Int>

    /// Creates a table.
    public init(columns: [String], rows: [[String?]], numericColumns: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.numericColumns = numericColumns
    }

    /// Aligned columns separated by two spaces, with a header rule.
    public func text() -> String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], (cell ?? "-").count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return numericColumns.contains(index) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var lines = [line(columns), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map { line($0.map { $0 ?? "-" }) }
        return lines.joined(separator: "\n")
    }

    /// RFC 4180 CSV with a header row.
    public func csv() -> String {
        ([columns] + rows.map { $0.map { $0 ?? "" } }).map(Self.csvLine).joined(separator: "\n")
    }

    /// One CSV record (no line end): cells with a comma, quote or line break quoted.
    public static func csvLine(_ cells: [String?]) -> String {
        cells.map { cell -> String in
            let cell = cell ?? ""
            guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
            return "\"" + cell.replacingQuotes() + "\""
        }.joined(separator: ",")
    }

    /// A JSON array of objects keyed by column title.
    public func json() -> String {
        let objects: [ParamValue] = rows.map { row in
            var members: [String: ParamValue] = [:]
            for (index, column) in columns.enumerated() {
                guard let cell = row[index] else {
                    members[column] = .null
                    continue
                }
                if numericColumns.contains(index), let number = Double(cell) {
                    members[column] =
                        number.rounded() == number && abs(number) < 9.007_199_254_740_992e15
                        ? .int(Int64(number)) : .double(number)
                } else {
                    members[column] = .string(cell)
                }
            }
            return .object(members)
        }
        return PrettyJSON.render(.array(objects))
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }

    fileprivate func replacingQuotes() -> String {
        split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
    }
}
