/// Turns a ``ReportTable`` into text in one format. Renderers return the text; one writer does file I/O.
public protocol ReportRenderer: Sendable {
    /// Renders `table`.
    func render(_ table: ReportTable) -> String
}

/// The output formats of `ablate report`.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// GitHub Markdown.
    case markdown
    /// LaTeX (booktabs).
    case latex
    /// CSV with raw means, standard deviations and counts.
    case csv
    /// JSON.
    case json
    /// One self-contained HTML page with SVG charts.
    case html

    /// The renderer for this format.
    public var renderer: any ReportRenderer {
        switch self {
        case .markdown: MarkdownRenderer()
        case .latex: LaTeXRenderer()
        case .csv: CSVRenderer()
        case .json: JSONRenderer()
        case .html: HTMLRenderer()
        }
    }
}

extension ReportTable {
    /// The cell's text without highlighting: mean, then `± std` or `(n)` as the spec says, then the
    /// delta to the baseline. `plusMinus` is how the format writes ±.
    func text(of cell: Cell, column: Int, plusMinus: String = " ± ", missing: String = "–") -> String {
        var text = format(cell.mean, column: column)
        switch show {
        case .mean: break
        case .meanStd: if let std = cell.std { text += plusMinus + format(std, column: column) }
        case .meanCount: text += " (\(cell.count))"
        case .meanCI:
            if let lower = cell.lower, let upper = cell.upper {
                text +=
                    interval == .t
                    ? plusMinus + format((upper - lower) / 2, column: column)
                    : " [\(format(lower, column: column)), \(format(upper, column: column))]"
            }
        }
        if let delta = cell.delta { text += " (\(formatDelta(delta, column: column)))" }
        if cell.significant { text += significanceMark }
        return text
    }

    /// The style a cell is drawn with.
    func style(of cell: Cell) -> ReportSpec.Style {
        switch cell.rank {
        case .best: best
        case .second: second
        case .plain: .none
        }
    }
}
