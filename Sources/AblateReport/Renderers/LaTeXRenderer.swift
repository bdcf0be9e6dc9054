/// LaTeX with booktabs: a `table` environment with caption and label, `\toprule`/`\midrule`/
/// `\bottomrule`, `\cmidrule` under column groups, `\textbf` and `\underline` highlights, escaped text.
public struct LaTeXRenderer: ReportRenderer {
    /// Creates the renderer.
    public init() {}

    /// Renders `table`.
    public func render(_ table: ReportTable) -> String {
        var lines: [String] = []
        lines.append("% Requires \\usepackage{booktabs}.")
        lines.append("\\begin{table}[t]")
        lines.append("\\centering")
        let caption = ([table.title, table.caption].compactMap { $0 } + table.notes).map(Self.escape)
            .joined(separator: ". ").replacingAll("±", with: "$\\pm$").replacingAll("†", with: "$^\\dagger$")
            .replacingAll("α", with: "$\\alpha$")
        if !caption.isEmpty { lines.append("\\caption{\(caption)}") }
        lines.append("\\label{tab:\(Self.labelName(table.name))}")
        var alignment = "l"
        for group in table.groups {
            alignment += (table.hasGroups ? " " : "") + String(repeating: "c", count: group.span)
        }
        lines.append("\\begin{tabular}{\(alignment)}")
        lines.append("\\toprule")
        if table.hasGroups {
            var cells = [""]
            var rules: [String] = []
            var column = 2
            for group in table.groups {
                if let title = group.title {
                    cells.append(
                        group.span == 1 ? Self.escape(title) : "\\multicolumn{\(group.span)}{c}{\(Self.escape(title))}")
                    rules.append("\\cmidrule(lr){\(column)-\(column + group.span - 1)}")
                } else {
                    cells += Array(repeating: "", count: group.span)
                }
                column += group.span
            }
            lines.append(cells.joined(separator: " & ") + " \\\\")
            lines.append(rules.joined(separator: " "))
        }
        lines.append(
            ([Self.escape(table.rowHeader)] + table.columns.map { Self.escape($0.label) }).joined(separator: " & ")
                + " \\\\")
        lines.append("\\midrule")
        for row in table.rows {
            let cells = row.cells.enumerated().map { column, cell -> String in
                guard let cell else { return "--" }
                let text = table.text(of: cell, column: column, plusMinus: "$\\pm$").replacingAll("±", with: "$\\pm$")
                    .replacingAll("†", with: "$^\\dagger$")
                switch table.style(of: cell) {
                case .bold: return "\\textbf{\(text)}"
                case .underline: return "\\underline{\(text)}"
                case .none: return text
                }
            }
            lines.append(([Self.escape(row.label)] + cells).joined(separator: " & ") + " \\\\")
        }
        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
        lines.append("\\end{table}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes LaTeX's special characters.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\textbackslash{}"
            case "_", "%", "&", "#", "$", "{", "}": out += "\\" + String(character)
            case "~": out += "\\textasciitilde{}"
            case "^": out += "\\textasciicircum{}"
            case "±": out += "$\\pm$"
            case "–": out += "--"
            default: out.append(character)
            }
        }
        return out
    }

    private static func labelName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == ":" ? $0 : "-" })
    }
}
