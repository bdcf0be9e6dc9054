import AblateCore

/// Builds a report's ``ReportFigure`` from the runs of a sweep that fans out over checkpoints: lines by
/// the report's rows (`rows.by`, with its labels and order), x from each run's checkpoint (its tokens, or
/// its step), and at each x the mean ± std over the report's `aggregate.over` (the seeds).
public struct FigureBuilder: Sendable {
    /// The report spec; its `figure` says what to draw.
    public let spec: ReportSpec

    /// A builder for `spec`.
    public init(spec: ReportSpec) {
        self.spec = spec
    }

    /// The figure, or `nil` when the spec has none.
    public func build(_ context: ReportContext) -> ReportFigure? {
        guard let figure = spec.figure else { return nil }
        var warnings: [String] = []
        let runs = context.runs.filter { $0.params[SweepFanOut.parameter] != nil }
        if runs.isEmpty {
            warnings.append(
                "no run is at a checkpoint: the figure needs a sweep that fans out over checkpoints ('over: checkpoints')"
            )
        }
        let hasTokens = !runs.isEmpty && runs.allSatisfy { $0.params[SweepFanOut.tokensParameter] != nil }
        var axis = figure.x ?? (hasTokens ? .tokens : .step)
        if axis == .tokens, !hasTokens {
            warnings.append(
                "the runs do not know their tokens (give the training stage 'checkpoints.tokens_per_step' or an hf-trainer collector's); x is the step"
            )
            axis = .step
        }
        func x(_ run: ReportRun) -> Double? {
            let name = axis == .tokens ? SweepFanOut.tokensParameter : SweepFanOut.parameter
            if case .int(let value) = run.params[name] { return Double(value) }
            return nil
        }
        let largest = runs.compactMap(x).max() ?? 0
        let (unit, xLabel): (Double, String) =
            axis == .step
            ? (1, "Training step")
            : largest >= 1e9
                ? (1e9, "Training tokens (B)")
                : largest >= 1e6
                    ? (1e6, "Training tokens (M)")
                    : largest >= 1e4 ? (1e3, "Training tokens (K)") : (1, "Training tokens")
        let table = ReportBuilder(spec: spec)
        var rowWarnings: [String] = []
        let rows = table.groupRows(ReportContext(runs: runs, valueOrder: context.valueOrder), warnings: &rowWarnings)
        warnings += rowWarnings
        let panels = figure.panels.map { panel -> ReportFigure.Panel in
            if panel.curve != nil {
                return curvePanel(panel, rows: rows, context: context, tokens: axis == .tokens, unit: unit)
            }
            let lines = rows.map { label, runs -> ReportFigure.Line in
                // x -> replicate -> (sum, count): runs in one replicate (other averaged parameters) are averaged.
                var sums: [Double: [String: (Double, Int)]] = [:]
                for run in runs {
                    guard let position = x(run), let value = self.value(panel.y, of: run), value.isFinite else {
                        continue
                    }
                    let replicate = spec.aggregateOver.map { run.display($0) ?? "" }.joined(separator: "\u{1F}")
                    let current = sums[position / unit, default: [:]][replicate] ?? (0, 0)
                    sums[position / unit, default: [:]][replicate] = (current.0 + value, current.1 + 1)
                }
                let points = sums.keys.sorted().map { position -> ReportFigure.Point in
                    let values = sums[position]!.sorted { $0.key < $1.key }.map { $0.value.0 / Double($0.value.1) }
                    let cell = ReportBuilder.aggregate(values)
                    return ReportFigure.Point(
                        x: position, mean: cell.mean * spec.scale, std: cell.std.map { $0 * spec.scale },
                        count: cell.count)
                }
                return ReportFigure.Line(label: label, points: points)
            }
            if lines.allSatisfy({ $0.points.isEmpty }), !runs.isEmpty {
                warnings.append("no run has a value for '\(panel.y)'; check the metric key or column label")
            }
            let yLabel =
                panel.yLabel ?? spec.columns.first { $0.label == panel.y }?.label
                ?? context.metrics[panel.y]?.label ?? context.metrics[String(panel.y.split(separator: ".").last ?? "")]?
                .label
                ?? panel.y
            return ReportFigure.Panel(title: panel.title, yLabel: yLabel, lines: lines)
        }
        return ReportFigure(
            xLabel: xLabel, xUnit: unit, panels: panels, width: figure.width, bandOver: spec.aggregateOver,
            warnings: warnings)
    }

    /// The training loss of each row's trainings over the figure's x (tokens: each step times the run's
    /// tokens per step, from its checkpoint's), mean ± std over replicates at each logged step.
    private func curvePanel(
        _ panel: FigureSpec.Panel, rows: [(String, [ReportRun])], context: ReportContext, tokens: Bool, unit: Double
    ) -> ReportFigure.Panel {
        let lines = rows.map { label, runs -> ReportFigure.Line in
            // One curve per replicate: the runs of one training (one per checkpoint) share it.
            var byReplicate: [String: [(step: Double, value: Double)]] = [:]
            var perStep: [String: Double] = [:]
            for run in runs {
                let replicate = spec.aggregateOver.map { run.display($0) ?? "" }.joined(separator: "\u{1F}")
                guard byReplicate[replicate] == nil, let curve = context.curves[run.id] else { continue }
                byReplicate[replicate] = curve
                if case .int(let step) = run.params[SweepFanOut.parameter],
                    case .int(let seen) = run.params[SweepFanOut.tokensParameter], step > 0
                {
                    perStep[replicate] = Double(seen) / Double(step)
                }
            }
            var values: [Double: [Double]] = [:]
            for (replicate, curve) in byReplicate {
                let factor = tokens ? perStep[replicate] ?? 1 : 1
                for point in curve where point.value.isFinite {
                    values[point.step * factor / unit, default: []].append(point.value)
                }
            }
            let points = values.keys.sorted().map { x -> ReportFigure.Point in
                let cell = ReportBuilder.aggregate(values[x]!)
                return ReportFigure.Point(x: x, mean: cell.mean, std: cell.std, count: cell.count)
            }
            return ReportFigure.Line(label: label, points: points)
        }
        return ReportFigure.Panel(title: panel.title, yLabel: panel.yLabel ?? "Training loss", lines: lines)
    }

    /// A run's value of a panel's `y`: a table column (a mean column averages its parts), else a metric key.
    func value(_ y: String, of run: ReportRun) -> Double? {
        if let column = spec.columns.first(where: { $0.label == y }) {
            switch column.source {
            case .metric(let key):
                return run.value(key, lengths: column.lengths ?? spec.lengths)
            case .mean(let parts):
                let values = parts.compactMap { part -> Double? in
                    let source = spec.columns.first { $0.label == part }
                    switch source?.source {
                    case .metric(let key)?: return run.value(key, lengths: source?.lengths ?? spec.lengths)
                    default: return run.value(part, lengths: spec.lengths)
                    }
                }
                guard values.count == parts.count, !values.isEmpty else { return nil }
                return values.reduce(0, +) / Double(values.count)
            }
        }
        return run.value(y, lengths: spec.lengths)
    }
}
