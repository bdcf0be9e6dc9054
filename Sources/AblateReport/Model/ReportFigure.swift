/// A figure of scores over training, ready to draw: per panel, one line per row label with the mean and
/// sample standard deviation over replicates at each x.
public struct ReportFigure: Sendable, Equatable {
    /// One x position of a line.
    public struct Point: Sendable, Equatable {
        /// The x value, already divided by ``ReportFigure/xUnit``.
        public var x: Double
        /// The mean over replicates.
        public var mean: Double
        /// The sample standard deviation over replicates (`nil` with one).
        public var std: Double?
        /// How many replicates.
        public var count: Int
    }

    /// One row label's line.
    public struct Line: Sendable, Equatable {
        /// The row label.
        public var label: String
        /// Its points, by x.
        public var points: [Point]
    }

    /// One panel.
    public struct Panel: Sendable, Equatable {
        /// Its title, if any.
        public var title: String?
        /// The y axis label.
        public var yLabel: String
        /// The lines, in row order.
        public var lines: [Line]
    }

    /// The x axis label ("Training tokens (B)").
    public var xLabel: String
    /// What x values were divided by (1e9 for billions of tokens, 1 for steps).
    public var xUnit: Double
    /// The panels, left to right.
    public var panels: [Panel]
    /// The width in inches.
    public var width: Double
    /// The band's parameter ("seed"), for the legend.
    public var bandOver: [String]
    /// Problems met while building (a panel without values, runs without checkpoints).
    public var warnings: [String] = []
}
