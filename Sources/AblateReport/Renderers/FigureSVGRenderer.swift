import Foundation

/// Draws a ``ReportFigure`` as a paper-style SVG: vector, sized in inches (3.25 in, one column, by
/// default), 7 pt text, one colour and marker per line (Okabe–Ito, which reads in grey and for colour-blind
/// readers), a translucent mean ± std band, round ticks, and the legend under the panels. The same SVG is
/// embedded in the HTML report and converted to PDF for papers.
public struct FigureSVGRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    static let font = "DejaVu Sans, Helvetica, Arial, sans-serif"
    static let fontSize = 7.0

    /// The SVG document.
    public func render(_ figure: ReportFigure) -> String {
        let width = figure.width * 72  // points
        let labels = figure.panels.first?.lines.map(\.label) ?? []
        let legendRows = Self.legendRows(labels, width: width)
        let panelHeight = 126.0
        let noteHeight = figure.bandOver.isEmpty ? 0.0 : 8
        let legendHeight = Double(legendRows.count) * 10 + 4 + noteHeight
        let height = panelHeight + legendHeight
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(f(figure.width))in" height="\(f(height / 72))in" \
            viewBox="0 0 \(f(width)) \(f(height))" font-family="\(Self.font)" font-size="\(f(Self.fontSize))">

            """
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
        let panelWidth = width / Double(max(figure.panels.count, 1))
        for (index, panel) in figure.panels.enumerated() {
            svg += drawPanel(
                panel, figure: figure, x: Double(index) * panelWidth, width: panelWidth, height: panelHeight)
        }
        // The legend: a marker and the row label per line, wrapped under the panels.
        var y = panelHeight + 8
        var line = 0
        for row in legendRows {
            var x = 6.0
            for label in row {
                let color = Self.colors[line % Self.colors.count]
                svg +=
                    "<line x1=\"\(f(x))\" y1=\"\(f(y - 2.5))\" x2=\"\(f(x + 12))\" y2=\"\(f(y - 2.5))\" stroke=\"\(color)\" stroke-width=\"1.2\"/>"
                svg += Self.marker(line, x: x + 6, y: y - 2.5, color: color) + "\n"
                svg += "<text x=\"\(f(x + 15))\" y=\"\(f(y))\">\(Self.escape(label))</text>\n"
                x += 15 + Self.textWidth(label) + 10
                line += 1
            }
            y += 10
        }
        if !figure.bandOver.isEmpty {
            let note = "mean ± std over \(figure.bandOver.joined(separator: ", "))"
            svg +=
                "<text x=\"\(f(width - 4))\" y=\"\(f(height - 3))\" text-anchor=\"end\" fill=\"#555\" font-size=\"6\">\(Self.escape(note))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private func drawPanel(
        _ panel: ReportFigure.Panel, figure: ReportFigure, x: Double, width: Double, height: Double
    )
        -> String
    {
        let left = x + 30
        let right = x + width - 6
        let top = panel.title == nil ? 6.0 : 14.0
        let bottom = height - 27
        let points = panel.lines.flatMap(\.points)
        var svg = ""
        if let title = panel.title {
            svg +=
                "<text x=\"\(f((left + right) / 2))\" y=\"9\" text-anchor=\"middle\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        }
        guard !points.isEmpty else {
            return svg
                + "<text x=\"\(f((left + right) / 2))\" y=\"\(f((top + bottom) / 2))\" text-anchor=\"middle\" fill=\"#777\">no values</text>\n"
        }
        // As many x ticks (at most about 4 intervals) as fit side by side with their labels.
        let (lowX, highX) = (points.map(\.x).min()!, points.map(\.x).max()!)
        var xs = AxisTicks(low: lowX, high: highX, count: 4)
        for count in [3, 2, 1] {
            let widest = xs.values.map { Self.textWidth(xs.label($0)) }.max() ?? 0
            guard Double(xs.values.count - 1) * (widest + 4) > right - left else { break }
            xs = AxisTicks(low: lowX, high: highX, count: count)
        }
        let ys = AxisTicks(
            low: points.map { $0.mean - ($0.std ?? 0) }.min()!, high: points.map { $0.mean + ($0.std ?? 0) }.max()!,
            count: 4)
        func px(_ value: Double) -> Double { left + (value - xs.low) / (xs.high - xs.low) * (right - left) }
        func py(_ value: Double) -> Double { bottom - (value - ys.low) / (ys.high - ys.low) * (bottom - top) }
        // Grid and ticks.
        for tick in ys.values {
            svg +=
                "<line x1=\"\(f(left))\" y1=\"\(f(py(tick)))\" x2=\"\(f(right))\" y2=\"\(f(py(tick)))\" stroke=\"#e5e5e5\" stroke-width=\"0.5\"/>"
            svg +=
                "<text x=\"\(f(left - 3))\" y=\"\(f(py(tick) + 2.4))\" text-anchor=\"end\">\(ys.label(tick))</text>\n"
        }
        for tick in xs.values {
            svg +=
                "<line x1=\"\(f(px(tick)))\" y1=\"\(f(bottom))\" x2=\"\(f(px(tick)))\" y2=\"\(f(bottom + 2.5))\" stroke=\"#222\" stroke-width=\"0.5\"/>"
            svg +=
                "<text x=\"\(f(px(tick)))\" y=\"\(f(bottom + 11))\" text-anchor=\"middle\">\(xs.label(tick))</text>\n"
        }
        svg +=
            "<path d=\"M\(f(left)),\(f(top))V\(f(bottom))H\(f(right))\" fill=\"none\" stroke=\"#222\" stroke-width=\"0.6\"/>\n"
        // The x label centred under the plot, moved in where it would leave the panel.
        let half = Self.textWidth(figure.xLabel) / 2
        let centre = min(max((left + right) / 2, x + 2 + half), x + width - 2 - half)
        svg +=
            "<text x=\"\(f(centre))\" y=\"\(f(height - 5))\" text-anchor=\"middle\">\(Self.escape(figure.xLabel))</text>\n"
        svg +=
            "<text transform=\"translate(\(f(x + 8)),\(f((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escape(panel.yLabel))</text>\n"
        // Bands, then lines and markers on top.
        for (index, line) in panel.lines.enumerated() where line.points.contains(where: { $0.std != nil }) {
            let color = Self.colors[index % Self.colors.count]
            let upper = line.points.map { "\(f(px($0.x))),\(f(py($0.mean + ($0.std ?? 0))))" }
            let lower = line.points.reversed().map { "\(f(px($0.x))),\(f(py($0.mean - ($0.std ?? 0))))" }
            svg +=
                "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        for (index, line) in panel.lines.enumerated() where !line.points.isEmpty {
            let color = Self.colors[index % Self.colors.count]
            let path = line.points.map { "\(f(px($0.x))),\(f(py($0.mean)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\"/>"
            for point in line.points { svg += Self.marker(index, x: px(point.x), y: py(point.mean), color: color) }
            svg += "\n"
        }
        return svg
    }

    /// A marker of line `index`: circle, square, triangle, diamond, then again.
    static func marker(_ index: Int, x: Double, y: Double, color: String) -> String {
        switch index % 4 {
        case 0: return "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"1.8\" fill=\"\(color)\"/>"
        case 1: return "<rect x=\"\(f(x - 1.6))\" y=\"\(f(y - 1.6))\" width=\"3.2\" height=\"3.2\" fill=\"\(color)\"/>"
        case 2:
            return
                "<path d=\"M\(f(x)),\(f(y - 2))L\(f(x + 2)),\(f(y + 1.6))L\(f(x - 2)),\(f(y + 1.6))Z\" fill=\"\(color)\"/>"
        default:
            return
                "<path d=\"M\(f(x)),\(f(y - 2.2))L\(f(x + 2.2)),\(f(y))L\(f(x)),\(f(y + 2.2))L\(f(x - 2.2)),\(f(y))Z\" fill=\"\(color)\"/>"
        }
    }

    /// Legend labels split into rows that fit `width` points.
    static func legendRows(_ labels: [String], width: Double) -> [[String]] {
        var rows: [[String]] = []
        var current: [String] = []
        var used = 6.0
        for label in labels {
            let needed = 15 + textWidth(label) + 10
            if !current.isEmpty, used + needed > width {
                rows.append(current)
                current = []
                used = 6
            }
            current.append(label)
            used += needed
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// An upper estimate of a label's width in points at 7 pt (DejaVu Sans averages about 0.6 em).
    static func textWidth(_ text: String) -> Double { Double(text.count) * fontSize * 0.62 }

    /// Two decimals, no trailing zeros: short and the same on every machine.
    static func f(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    private func f(_ value: Double) -> String { Self.f(value) }

    static func escape(_ text: String) -> String { HTMLRenderer.escape(text) }
}
