/// GitHub Markdown: a pipe table, best values `**bold**`, second `<u>underlined</u>` (as configured),
/// groups as a first header row.
public struct MarkdownRenderer: ReportRenderer {
    /// Creates the renderer.
    public init() {}

    /// Renders `table`.
    public func render(_ table: ReportTable) -> String {
        var lines: [String] = []
        if let title = table.title { lines += ["### \(escape(title))", ""] }
        var header = [escape(table.rowHeader)] + table.columns.map { escape($0.label) }
        if table.hasGroups {
            var groupRow = [""]
            for group in table.groups {
                groupRow.append(group.title.map(escape) ?? "")
                groupRow += Array(repeating: "", count: group.span - 1)
            }
            lines.append("| " + groupRow.joined(separator: " | ") + " |")
            lines.append("|" + Array(repeating: "---", count: groupRow.count).joined(separator: "|") + "|")
            header = header.map { $0.isEmpty ? $0 : "*\($0)*" }
            lines.append("| " + header.joined(separator: " | ") + " |")
        } else {
            lines.append("| " + header.joined(separator: " | ") + " |")
            lines.append("|:---|" + Array(repeating: "---:", count: table.columns.count).joined(separator: "|") + "|")
        }
        for row in table.rows {
            let cells = row.cells.enumerated().map { column, cell -> String in
                guard let cell else { return "–" }
                let text = table.text(of: cell, column: column)
                switch table.style(of: cell) {
                case .bold: return "**\(text)**"
                case .underline: return "<u>\(text)</u>"
                case .none: return text
                }
            }
            lines.append("| " + ([escape(row.label)] + cells).joined(separator: " | ") + " |")
        }
        if let caption = table.caption { lines += ["", escape(caption)] }
        for note in table.notes { lines += ["", escape(note)] }
        return lines.joined(separator: "\n") + "\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingAll("|", with: "\\|")
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
