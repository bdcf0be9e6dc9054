import AblateCore

/// A parsed report spec (`reports/*.yaml`): which runs, which rows and columns, how runs combine.
/// The format is described in `docs/report-format.md`; obtain one with ``ReportSpecParser``.
public struct ReportSpec: Sendable {
    /// How runs that land in the same cell are shown.
    public enum Show: String, Sendable, CaseIterable {
        /// The mean.
        case mean
        /// The mean and the sample standard deviation.
        case meanStd = "mean±std"
        /// The mean and the number of values.
        case meanCount = "mean (n)"
        /// The mean and a confidence interval over the replicates (``ReportSpec/confidence``,
        /// ``ReportSpec/interval``).
        case meanCI = "mean±ci"
    }

    /// Which differences between rows are tested, and how (`significance:`).
    public struct Significance: Sendable, Equatable {
        /// The tests available.
        public enum Test: String, Sendable, CaseIterable {
            /// Welch's t-test over the replicates (seeds) of two cells.
            case welch
            /// A paired bootstrap over the examples both cells were evaluated on (per-example scores that
            /// the collectors keep), stratified by dataset and length, each example's score averaged over
            /// the cell's replicates first.
            case pairedBootstrap = "paired-bootstrap"
        }

        /// How p-values are corrected for the number of comparisons.
        public enum Correction: String, Sendable, CaseIterable {
            /// Holm's step-down correction across every comparison of the table.
            case holm
            /// None.
            case none
        }

        /// The row every other row is compared with (default: the report's `baseline`).
        public var baseline: String?
        /// The test.
        public var test: Test = .welch
        /// The significance level.
        public var alpha: Double = 0.05
        /// The correction.
        public var correction: Correction = .holm
        /// The mark after a cell that differs significantly from the baseline (default `†`).
        public var mark: String = "†"

        /// Creates the defaults.
        public init(baseline: String? = nil) {
            self.baseline = baseline
        }
    }

    /// How a confidence interval is computed.
    public enum IntervalMethod: String, Sendable, CaseIterable {
        /// Student's t interval (symmetric): `mean ± t_{1−α/2, n−1}·s/√n`.
        case t
        /// The percentile bootstrap of the mean, 10,000 resamples with a fixed seed.
        case bootstrap
    }

    /// A text style for highlighted cells.
    public enum Style: String, Sendable, CaseIterable {
        /// Bold.
        case bold
        /// Underlined.
        case underline
        /// No highlight.
        case none
    }

    /// What a column shows.
    public enum ColumnSource: Sendable, Equatable {
        /// A metric key (`recall`, or `eval.recall` for one stage).
        case metric(String)
        /// The mean of other columns, named by label or metric key.
        case mean([String])
    }

    /// One column.
    public struct Column: Sendable {
        /// Where its values come from.
        public var source: ColumnSource
        /// The header text.
        public var label: String
        /// A factor applied before display (e.g. 100), overriding the report's.
        public var scale: Double?
        /// Decimals shown, overriding the report's.
        public var precision: Int?
        /// Which direction is better, overriding the sweep's metric declaration.
        public var goal: MetricDeclaration.Goal?
        /// The group this column is under, if any.
        public var group: String?
        /// The evaluation lengths this column averages (`length: 32768` or a list), overriding the report's
        /// `aggregate.lengths`: one column per length, as the paper's per-length tables.
        public var lengths: [Int]?
        /// Where it was written.
        public var location: SourceLocation

        /// Creates a column.
        public init(
            source: ColumnSource, label: String, scale: Double? = nil, precision: Int? = nil,
            goal: MetricDeclaration.Goal? = nil, group: String? = nil,
            location: SourceLocation = .init(line: 1, column: 1)
        ) {
            self.source = source
            self.label = label
            self.scale = scale
            self.precision = precision
            self.goal = goal
            self.group = group
            self.location = location
        }
    }

    /// The report's name.
    public var name: String
    /// The title (a heading in Markdown and HTML, the caption's lead in LaTeX).
    public var title: String?
    /// The caption.
    public var caption: String?
    /// The sweeps whose runs the report reads.
    public var sweeps: [String]
    /// A `--where` filter over those runs.
    public var filter: String?
    /// The parameters whose values make the rows; empty for one row per run.
    public var rowParams: [String]
    /// The row order (labels or values), if given.
    public var rowOrder: [String]?
    /// Display text for row values.
    public var rowLabels: [String: String]
    /// The columns, in order.
    public var columns: [Column]
    /// Parameters whose values are replicates (seeds): the mean and spread are over these.
    public var aggregateOver: [String]
    /// Parameters averaged away before aggregating (e.g. the evaluation length of imported runs).
    public var averageOver: [String]
    /// The evaluation lengths that values recorded per length are averaged over (`aggregate.lengths`,
    /// the paper's "32K and 64K"); `nil` for every recorded length. A run missing one of them has no value.
    public var lengths: [Int]?
    /// How aggregated cells are shown.
    public var show: Show
    /// The confidence level of `mean±ci` intervals (`ci:`, default 0.95).
    public var confidence: Double = 0.95
    /// How `mean±ci` intervals are computed (`interval:`, default `t`).
    public var interval: IntervalMethod = .t
    /// Which differences are tested (`significance:`), if any.
    public var significance: Significance?
    /// Decimals for every column (default 1).
    public var precision: Int
    /// Factor for every column (default 1).
    public var scale: Double
    /// The style of each column's best value.
    public var best: Style
    /// The style of each column's second-best value.
    public var second: Style
    /// A row label whose values the other rows are compared with.
    public var baseline: String?
    /// A figure of scores over training (`figure:`), for sweeps that fan out over checkpoints.
    public var figure: FigureSpec?

    /// Creates a spec; every argument but the name, sweeps and columns has the format's default.
    public init(
        name: String, title: String? = nil, caption: String? = nil, sweeps: [String], filter: String? = nil,
        rowParams: [String] = [], rowOrder: [String]? = nil, rowLabels: [String: String] = [:], columns: [Column],
        aggregateOver: [String] = ["seed"], averageOver: [String] = [], show: Show = .mean, precision: Int = 1,
        scale: Double = 1, best: Style = .bold, second: Style = .none, baseline: String? = nil
    ) {
        self.name = name
        self.title = title
        self.caption = caption
        self.sweeps = sweeps
        self.filter = filter
        self.rowParams = rowParams
        self.rowOrder = rowOrder
        self.rowLabels = rowLabels
        self.columns = columns
        self.aggregateOver = aggregateOver
        self.averageOver = averageOver
        self.show = show
        self.precision = precision
        self.scale = scale
        self.best = best
        self.second = second
        self.baseline = baseline
    }
}
