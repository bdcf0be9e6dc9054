import AblateCore

/// A built report: the table every renderer draws, with values already aggregated and ranked.
public struct ReportTable: Sendable {
    /// One column.
    public struct Column: Sendable {
        /// Header text.
        public var label: String
        /// The group header above it, if any.
        public var group: String?
        /// Which direction is better.
        public var goal: MetricDeclaration.Goal
        /// Decimals shown.
        public var precision: Int
        /// Display factor.
        public var scale: Double
    }

    /// A highlight rank.
    public enum Rank: Sendable, Equatable {
        /// Not highlighted.
        case plain
        /// The column's best value (ties all count).
        case best
        /// The column's second-best value.
        case second
    }

    /// One aggregated cell.
    public struct Cell: Sendable, Equatable {
        /// The mean over replicates, unscaled.
        public var mean: Double
        /// The sample standard deviation over replicates (nil for a single value).
        public var std: Double?
        /// The number of replicates.
        public var count: Int
        /// Its highlight.
        public var rank: Rank = .plain
        /// The difference from the baseline row, unscaled.
        public var delta: Double?
        /// The confidence interval of the mean over replicates, unscaled (`show: mean±ci`, two or more).
        public var lower: Double?
        /// Its upper end.
        public var upper: Double?
        /// The p-value of its difference from the baseline row (corrected as the spec says), when tested.
        public var p: Double?
        /// Whether it differs significantly from the baseline row (drawn with †).
        public var significant = false
    }

    /// One row.
    public struct Row: Sendable {
        /// The label.
        public var label: String
        /// Cells in column order; `nil` where no run had a value.
        public var cells: [Cell?]
        /// Whether this is the baseline row.
        public var isBaseline: Bool
        /// The IDs of the runs in the row.
        public var runIDs: [String]
    }

    /// The report's name.
    public var name: String
    /// The title.
    public var title: String?
    /// The caption.
    public var caption: String?
    /// The columns.
    public var columns: [Column]
    /// The rows, in order.
    public var rows: [Row]
    /// How cells are shown.
    public var show: ReportSpec.Show
    /// The confidence level and method of `mean±ci` intervals.
    public var confidence: Double = 0.95
    /// How intervals were computed.
    public var interval: ReportSpec.IntervalMethod = .t
    /// What the cells' intervals are, for the caption (set for `show: mean±ci`).
    public var intervalNote: String?
    /// What the significance marks mean, for the caption (set with `significance:`).
    public var significanceNote: String?
    /// Whether cells were tested (CSV adds a `p` column per value column).
    public var tested = false
    /// The mark after a cell that differs significantly from the baseline.
    public var significanceMark = "†"

    /// The notes under a table: what the intervals and the marks mean.
    public var notes: [String] { [intervalNote, significanceNote].compactMap { $0 } }
    /// Styles of best and second-best values.
    public var best: ReportSpec.Style
    /// Style of second-best values.
    public var second: ReportSpec.Style
    /// The row header (the row parameters, or "run").
    public var rowHeader: String
    /// Problems worth a warning: missing cells, unknown metrics.
    public var warnings: [String]
    /// Training-loss curves of the runs in the report, by row label.
    public var curves: [(label: String, points: [(step: Double, value: Double)])]
    /// The spec's figure of scores over training, if it has one.
    public var figure: ReportFigure?

    /// Header groups in column order: each group title (or nil) with the number of columns it spans.
    public var groups: [(title: String?, span: Int)] {
        var result: [(title: String?, span: Int)] = []
        for column in columns {
            if let last = result.last, last.title == column.group, column.group != nil {
                result[result.count - 1].span += 1
            } else {
                result.append((column.group, 1))
            }
        }
        return result
    }

    /// Whether any column has a group.
    public var hasGroups: Bool { columns.contains { $0.group != nil } }

    /// A value scaled and rounded for display.
    public func format(_ value: Double, column: Int) -> String {
        let spec = columns[column]
        return ReportNumber.format(value * spec.scale, precision: spec.precision)
    }

    /// A signed delta scaled and rounded for display (`+1.2`, `-0.4`, `±0.0`).
    public func formatDelta(_ value: Double, column: Int) -> String {
        let text = format(abs(value), column: column)
        if Double(text) == 0 { return "±" + text }
        return (value > 0 ? "+" : "-") + text
    }
}

/// Number formatting shared by the renderers.
public enum ReportNumber {
    /// `value` with exactly `precision` decimals (no exponent), `-0.0` printed as `0.0`.
    public static func format(_ value: Double, precision: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf") }
        var factor = 1.0
        for _ in 0..<precision { factor *= 10 }
        // Past what a 64-bit integer holds exactly, the C library's decimal formatting does it.
        guard abs(value) * factor < 9e15, precision <= 15 else { return String(format: "%.*f", precision, value) }
        let rounded = (value * factor).rounded() / factor
        var text = rounded == 0 ? "0" : String(Int64(abs(rounded)))
        if precision > 0 {
            let fraction = Int64((abs(rounded) * factor).rounded()) % Int64(factor)
            var digits = String(fraction)
            while digits.count < precision { digits = "0" + digits }
            text += "." + digits
        }
        return (rounded < 0 ? "-" : "") + text
    }
}
