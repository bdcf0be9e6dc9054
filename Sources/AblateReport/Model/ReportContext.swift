import AblateCore

/// What a report is built from besides its spec: the runs, the order of each parameter's values in the
/// sweep specs, the metric declarations, and training curves for charts.
public struct ReportContext: Sendable {
    /// The runs (already filtered by the spec's `from`).
    public var runs: [ReportRun]
    /// For each parameter, its values' display names in spec order (axis order, presets as labels).
    public var valueOrder: [String: [String]]
    /// Metric declarations from the sweep specs, by key.
    public var metrics: [String: MetricDeclaration]
    /// Training-loss curves by run ID: (step, loss) points.
    public var curves: [String: [(step: Double, value: Double)]]

    /// Creates a context.
    public init(
        runs: [ReportRun], valueOrder: [String: [String]] = [:], metrics: [String: MetricDeclaration] = [:],
        curves: [String: [(step: Double, value: Double)]] = [:]
    ) {
        self.runs = runs
        self.valueOrder = valueOrder
        self.metrics = metrics
        self.curves = curves
    }
}
