/// CSV for pandas: one header row; per column the raw unrounded, unscaled mean, with `show: mean±ci`
/// its interval's ends, then its standard deviation and count (`LABEL`, [`LABEL lo`, `LABEL hi`,]
/// `LABEL std`, `LABEL n`); empty fields where a value is missing.
public struct CSVRenderer: ReportRenderer {
    /// Creates the renderer.
    public init() {}

    /// Renders `table`.
    public func render(_ table: ReportTable) -> String {
        let intervals = table.show == .meanCI
        var header = [table.rowHeader]
        for column in table.columns {
            header += [column.label] + (intervals ? [column.label + " lo", column.label + " hi"] : [])
            if table.tested { header.append(column.label + " p") }
            header += [column.label + " std", column.label + " n"]
        }
        var lines = [header.map(Self.quote).joined(separator: ",")]
        for row in table.rows {
            var fields = [row.label]
            for cell in row.cells {
                fields.append(cell.map { String($0.mean) } ?? "")
                if intervals {
                    fields += [cell?.lower.map { String($0) } ?? "", cell?.upper.map { String($0) } ?? ""]
                }
                if table.tested { fields.append(cell?.p.map { String($0) } ?? "") }
                fields += [cell?.std.map { String($0) } ?? "", cell.map { String($0.count) } ?? ""]
            }
            lines.append(fields.map(Self.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }
}
