import AblateCore

/// A report's `figure:`: a paper-style figure of scores over training, for sweeps that fan out over
/// checkpoints: one line per row label (`rows.by`), a mean ± std band over `aggregate.over`, x the tokens
/// seen (or the step) at each checkpoint, y a metric or a table column, optionally several panels side
/// by side (before and after SFT, say).
///
/// ```yaml
/// figure:
///   x: tokens
///   panels:
///     - {y: eval_base.helmet_avg, title: Before SFT}
///     - {y: eval.helmet_avg, title: After SFT}
/// ```
public struct FigureSpec: Sendable, Equatable {
    /// What the x axis shows.
    public enum XAxis: String, Sendable, CaseIterable {
        /// The tokens seen at the checkpoint (the run's `checkpoint_tokens`), in billions or millions.
        case tokens
        /// The checkpoint's step (the run's `checkpoint`).
        case step
    }

    /// One panel: its y and title.
    public struct Panel: Sendable, Equatable {
        /// A metric key (`helmet_avg`, `eval.recall`) or the label of a table column (a mean column
        /// averages its parts per run).
        public var y: String
        /// The panel's title (default: none for a single panel).
        public var title: String?
        /// The y axis label (default: the metric's label or key).
        public var yLabel: String?
        /// `loss`: the panel draws the training loss the runs' trainers logged, over the same x, instead of
        /// a score per checkpoint (``y`` is then `loss`).
        public var curve: String?

        /// Creates a panel.
        public init(y: String, title: String? = nil, yLabel: String? = nil, curve: String? = nil) {
            self.y = y
            self.title = title
            self.yLabel = yLabel
            self.curve = curve
        }
    }

    /// What the x axis shows (default `tokens` where runs know their tokens, else `step`).
    public var x: XAxis?
    /// The panels, left to right.
    public var panels: [Panel]
    /// The figure's width in inches (default 3.25: one column of a two-column paper).
    public var width: Double = 3.25
    /// Where `figure:` was written.
    public var location: SourceLocation

    /// Whether a panel draws training curves (the loader then reads them).
    public var drawsCurves: Bool { panels.contains { $0.curve != nil } }

    /// Creates a figure spec.
    public init(x: XAxis? = nil, panels: [Panel], location: SourceLocation = .init(line: 1, column: 1)) {
        self.x = x
        self.panels = panels
        self.location = location
    }
}
