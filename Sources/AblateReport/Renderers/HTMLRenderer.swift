/// One self-contained HTML page (no network): the table, the report's figure over training (if it has
/// one), then a chart of each column over the rows (a dot with its error bar per row), and the
/// training-loss curves of the runs in the report.
public struct HTMLRenderer: ReportRenderer {
    /// Creates the renderer.
    public init() {}

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    /// Renders `table`.
    public func render(_ table: ReportTable) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(table.title ?? table.name))</title>
            <style>
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; }
            th, td { padding: 0.3em 0.8em; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            thead tr:last-child th { border-bottom: 1px solid #222; }
            table { border-top: 2px solid #222; border-bottom: 2px solid #222; }
            th.group { border-bottom: 1px solid #888; text-align: center; }
            tr.baseline td { background: #f3f3f3; }
            .charts { display: flex; flex-wrap: wrap; gap: 1em; }
            figure { margin: 0; }
            figure.paper svg { width: 6.5in; height: auto; }
            figcaption { font-size: 0.9em; text-align: center; }
            .warning { color: #a60; }
            </style>
            </head>
            <body>

            """
        html += "<h1>\(Self.escape(table.title ?? table.name))</h1>\n"
        html += table_(table)
        if let caption = table.caption { html += "<p>\(Self.escape(caption))</p>\n" }
        for note in table.notes { html += "<p>\(Self.escape(note))</p>\n" }
        for warning in table.warnings { html += "<p class=\"warning\">warning: \(Self.escape(warning))</p>\n" }
        if let figure = table.figure {
            html +=
                "<h2>Over training</h2>\n<figure class=\"paper\">" + FigureSVGRenderer().render(figure) + "</figure>\n"
        }
        html += "<h2>Metrics by \(Self.escape(table.rowHeader))</h2>\n<div class=\"charts\">\n"
        for column in table.columns.indices { html += metricChart(table, column: column) }
        html += "</div>\n"
        if !table.curves.isEmpty {
            html += "<h2>Training loss</h2>\n" + lossChart(table)
        }
        html += "</body>\n</html>\n"
        return html
    }

    private func table_(_ table: ReportTable) -> String {
        var html = "<table>\n<thead>\n"
        if table.hasGroups {
            html += "<tr><th></th>"
            for group in table.groups {
                html +=
                    group.title.map { "<th class=\"group\" colspan=\"\(group.span)\">\(Self.escape($0))</th>" }
                    ?? String(repeating: "<th></th>", count: group.span)
            }
            html += "</tr>\n"
        }
        html += "<tr><th>\(Self.escape(table.rowHeader))</th>"
        html += table.columns.map { "<th>\(Self.escape($0.label))</th>" }.joined() + "</tr>\n</thead>\n<tbody>\n"
        for row in table.rows {
            html += row.isBaseline ? "<tr class=\"baseline\">" : "<tr>"
            html += "<td>\(Self.escape(row.label))</td>"
            for (column, cell) in row.cells.enumerated() {
                guard let cell else {
                    html += "<td>–</td>"
                    continue
                }
                let text = Self.escape(table.text(of: cell, column: column))
                switch table.style(of: cell) {
                case .bold: html += "<td><strong>\(text)</strong></td>"
                case .underline: html += "<td><u>\(text)</u></td>"
                case .none: html += "<td>\(text)</td>"
                }
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// A cell's error bar: its confidence interval when it has one, else mean ± std, else the mean.
    static func bar(_ cell: ReportTable.Cell) -> (low: Double, high: Double) {
        if let lower = cell.lower, let upper = cell.upper { return (lower, upper) }
        return (cell.mean - (cell.std ?? 0), cell.mean + (cell.std ?? 0))
    }

    /// Mean (± std, or its interval) of one column for each row: a dot with an error bar per row, rows
    /// one under the other (their labels on their own lines, so that none overlaps another), the value
    /// axis starting at zero (or spanning zero when values are negative), so that a 1-point difference
    /// looks like one.
    private func metricChart(_ table: ReportTable, column: Int) -> String {
        let values = table.rows.map { $0.cells[column] }
        let present = values.compactMap { $0 }
        guard !present.isEmpty else { return "" }
        let scale = table.columns[column].scale
        let lows = present.map { Self.bar($0).low * scale }
        let highs = present.map { Self.bar($0).high * scale }
        let ticks = AxisTicks(low: min(0, lows.min()!), high: max(0, highs.max()!), count: 4)
        let labels = table.rows.map { Self.chartLabel($0.label) }
        let left = 12 + (labels.map { Double($0.count) * 6.4 }.max() ?? 40)
        let right = left + 220
        let width = right + 16
        let rowHeight = 18.0
        let top = 8.0
        let bottom = top + Double(values.count) * rowHeight
        let height = bottom + 30
        func x(_ value: Double) -> Double { left + (value - ticks.low) / (ticks.high - ticks.low) * (right - left) }
        func y(_ index: Int) -> Double { top + (Double(index) + 0.5) * rowHeight }
        var svg =
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" font-size=\"11\">"
        for tick in ticks.values {
            svg +=
                "<line x1=\"\(Self.number(x(tick)))\" y1=\"\(top)\" x2=\"\(Self.number(x(tick)))\" y2=\"\(bottom)\" stroke=\"\(tick == 0 ? "#222" : "#e3e3e3")\"/>"
            svg +=
                "<text x=\"\(Self.number(x(tick)))\" y=\"\(Self.number(bottom + 14))\" text-anchor=\"middle\">\(ticks.label(tick))</text>"
        }
        svg += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"#222\"/>"
        for (index, cell) in values.enumerated() {
            svg +=
                "<text x=\"\(Self.number(left - 8))\" y=\"\(Self.number(y(index) + 4))\" text-anchor=\"end\">\(Self.escape(labels[index]))<title>\(Self.escape(table.rows[index].label))</title></text>"
            guard let cell else { continue }
            let mean = cell.mean * scale
            if cell.std != nil || cell.lower != nil {
                let bar = Self.bar(cell)
                svg +=
                    "<line x1=\"\(Self.number(x(bar.low * scale)))\" y1=\"\(Self.number(y(index)))\" x2=\"\(Self.number(x(bar.high * scale)))\" y2=\"\(Self.number(y(index)))\" stroke=\"#0072B2\" stroke-width=\"1.5\"/>"
            }
            svg +=
                "<circle cx=\"\(Self.number(x(mean)))\" cy=\"\(Self.number(y(index)))\" r=\"4\" fill=\"#0072B2\"><title>\(Self.escape(table.rows[index].label)): \(table.text(of: cell, column: column))</title></circle>"
        }
        svg += "</svg><figcaption>\(Self.escape(table.columns[column].label))</figcaption></figure>\n"
        return svg
    }

    /// A row label for a chart: at most 40 characters (the whole label is its tooltip).
    static func chartLabel(_ label: String) -> String {
        label.count <= 40 ? label : String(label.prefix(39)) + "…"
    }

    /// Loss against step for every run with a curve.
    private func lossChart(_ table: ReportTable) -> String {
        let width = 640.0
        let height = 320.0
        let left = 50.0
        let bottom = 30.0
        let points = table.curves.flatMap(\.points)
        guard let maxStep = points.map(\.step).max(), let minValue = points.map(\.value).min(),
            let maxValue = points.map(\.value).max()
        else { return "" }
        let minStep = points.map(\.step).min() ?? 0
        let stepSpan = max(maxStep - minStep, 1)
        let valueSpan = max(maxValue - minValue, 1e-9)
        func x(_ step: Double) -> Double { left + (step - minStep) / stepSpan * (width - left - 170) }
        func y(_ value: Double) -> Double { 10 + (maxValue - value) / valueSpan * (height - bottom - 10) }
        var svg =
            "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
        svg +=
            "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 160)\" y2=\"\(height - bottom)\" stroke=\"#222\"/>"
        svg += "<line x1=\"\(left)\" y1=\"10\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#222\"/>"
        svg +=
            "<text x=\"\(left - 4)\" y=\"14\" font-size=\"10\" text-anchor=\"end\">\(RunNumber.short(maxValue))</text>"
        svg +=
            "<text x=\"\(left - 4)\" y=\"\(height - bottom)\" font-size=\"10\" text-anchor=\"end\">\(RunNumber.short(minValue))</text>"
        svg +=
            "<text x=\"\(width - 160)\" y=\"\(height - bottom + 14)\" font-size=\"10\" text-anchor=\"end\">step \(RunNumber.short(maxStep))</text>"
        for (index, curve) in table.curves.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let line = curve.points.sorted { $0.step < $1.step }.map {
                "\(Self.number(x($0.step))),\(Self.number(y($0.value)))"
            }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(line.joined(separator: " "))\"><title>\(Self.escape(curve.label))</title></polyline>"
            let legendY = 16 + Double(index) * 14
            svg += "<rect x=\"\(width - 150)\" y=\"\(legendY - 8)\" width=\"10\" height=\"3\" fill=\"\(color)\"/>"
            svg +=
                "<text x=\"\(width - 136)\" y=\"\(legendY)\" font-size=\"10\">\(Self.escape(String(curve.label.prefix(24))))</text>"
        }
        return svg + "</svg><figcaption>training loss</figcaption></figure>\n"
    }

    static func number(_ value: Double) -> String { ReportNumber.format(value, precision: 1) }

    /// Escapes text for HTML.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// Short numbers for chart labels.
enum RunNumber {
    static func short(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        if abs(value) >= 1e15 { return String(format: "%.3g", value) }
        if abs(value) >= 1000 || value.rounded() == value { return String(Int64(value.rounded())) }
        return ReportNumber.format(value, precision: abs(value) < 1 ? 3 : 2)
    }
}
