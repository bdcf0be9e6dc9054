import AblateCore
import AblateStats

/// Builds a ``ReportTable`` from a spec and runs: groups runs into rows, aggregates each cell over
/// replicates (after averaging `average_over` parameters away), derives mean columns, ranks values per
/// column by goal, and computes deltas to the baseline row.
///
/// Per row and column: every run's value is put in its *replicate* (its values of `aggregate.over`,
/// e.g. the seed); runs in one replicate (differing in `average_over` parameters such as the evaluation
/// length, or in anything else) are averaged; the cell is then the mean, sample standard deviation and
/// count over replicates. A mean column averages its component columns replicate by replicate, where
/// all components have a value.
public struct ReportBuilder: Sendable {
    /// The spec.
    public let spec: ReportSpec

    /// A builder for `spec`.
    public init(spec: ReportSpec) {
        self.spec = spec
    }

    /// Builds the table.
    public func build(_ context: ReportContext) -> ReportTable {
        let figure = FigureBuilder(spec: spec).build(context)
        let context = atLastCheckpoint(context)
        var warnings: [String] = []
        let rows = groupRows(context, warnings: &warnings)
        let columns = spec.columns.map { column -> ReportTable.Column in
            var goal = column.goal ?? .max
            if column.goal == nil, case .metric(let key) = column.source {
                goal =
                    context.metrics[key]?.goal ?? context.metrics[
                        key.split(separator: ".").last.map(String.init) ?? key]?.goal ?? .max
            }
            return ReportTable.Column(
                label: column.label, group: column.group, goal: goal, precision: column.precision ?? spec.precision,
                scale: column.scale ?? spec.scale)
        }
        var tableRows: [ReportTable.Row] = []
        // Each cell's replicate values, in a fixed order: what significance tests compare.
        var replicates: [[[Double]]] = []
        for (label, runs) in rows {
            var replicateValues: [[String: Double]] = []
            for (index, column) in spec.columns.enumerated() {
                var values: [String: Double] = [:]
                switch column.source {
                case .metric(let key):
                    var sums: [String: (Double, Int)] = [:]
                    for run in runs {
                        guard let value = run.value(key, lengths: column.lengths ?? spec.lengths), value.isFinite
                        else { continue }
                        let replicate = spec.aggregateOver.map { run.display($0) ?? "" }.joined(separator: "\u{1F}")
                        let current = sums[replicate] ?? (0, 0)
                        sums[replicate] = (current.0 + value, current.1 + 1)
                    }
                    values = sums.mapValues { $0.0 / Double($0.1) }
                case .mean(let parts):
                    let indices = parts.compactMap { part in
                        spec.columns.firstIndex { $0.label == part }
                            ?? spec.columns.firstIndex { if case .metric(part) = $0.source { true } else { false } }
                    }.filter { $0 < index }
                    guard !indices.isEmpty else { break }
                    let replicates = Set(indices.flatMap { replicateValues[$0].keys })
                    for replicate in replicates.sorted() {
                        let components = indices.compactMap { replicateValues[$0][replicate] }
                        if components.count == indices.count {
                            values[replicate] = components.reduce(0, +) / Double(components.count)
                        }
                    }
                }
                replicateValues.append(values)
            }
            // Replicates in a fixed order, so that the sums (and so the last digit shown) never depend
            // on a dictionary's order.
            replicates.append(replicateValues.map { values in values.sorted { $0.key < $1.key }.map(\.value) })
            let cells = replicateValues.enumerated().map { column, values -> ReportTable.Cell? in
                guard !values.isEmpty else { return nil }
                let ordered = values.sorted { $0.key < $1.key }.map(\.value)
                var cell = Self.aggregate(ordered)
                if spec.show == .meanCI {
                    let interval: Interval? =
                        switch spec.interval {
                        case .t: Interval.t(ordered, level: spec.confidence)
                        case .bootstrap:
                            Interval.bootstrap(
                                ordered, level: spec.confidence, seed: Self.seed(row: label, column: column))
                        }
                    cell.lower = interval?.lower
                    cell.upper = interval?.upper
                }
                return cell
            }
            for (index, cell) in cells.enumerated() where cell == nil {
                warnings.append("no value for '\(spec.columns[index].label)' in row '\(label)'")
            }
            tableRows.append(
                ReportTable.Row(
                    label: label, cells: cells, isBaseline: label == spec.baseline, runIDs: runs.map(\.id)))
        }
        if let baseline = spec.baseline, !tableRows.contains(where: \.isBaseline) {
            warnings.append(
                "baseline row '\(baseline)' is not in the table; rows are \(tableRows.map { "'\($0.label)'" }.joined(separator: ", "))"
            )
        }
        var table = ReportTable(
            name: spec.name, title: spec.title, caption: spec.caption, columns: columns, rows: tableRows,
            show: spec.show, best: spec.best, second: spec.second,
            rowHeader: spec.rowParams.isEmpty ? "run" : spec.rowParams.joined(separator: " / "), warnings: warnings,
            curves: [])
        table.confidence = spec.confidence
        table.interval = spec.interval
        if spec.show == .meanCI {
            let level = ReportNumber.format(
                spec.confidence * 100, precision: spec.confidence * 100 == (spec.confidence * 100).rounded() ? 0 : 1)
            let over = spec.aggregateOver.isEmpty ? "the runs in each cell" : spec.aggregateOver.joined(separator: ", ")
            table.intervalNote =
                spec.interval == .t
                ? "Cells: mean ± half-width of its \(level)% t interval over \(over)."
                : "Cells: mean [lower, upper] of its \(level)% percentile-bootstrap interval over \(over) (10,000 resamples)."
        }
        rank(&table)
        if let significance = spec.significance {
            test(&table, replicates: replicates, runs: rows.map(\.1), significance)
        }
        addDeltas(&table)
        table.figure = figure
        table.warnings += figure?.warnings.map { "figure: \($0)" } ?? []
        table.curves = table.rows.flatMap { row in
            row.runIDs.compactMap { id in
                context.curves[id].map {
                    (label: row.runIDs.count > 1 ? "\(row.label) (\(id.prefix(6)))" : row.label, points: $0)
                }
            }
        }
        return table
    }

    /// A bootstrap seed fixed by the cell's row and column, so that a report is the same every time.
    static func seed(row: String, column: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in row.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash ^ UInt64(column)
    }

    /// Mean, sample standard deviation and count.
    public static func aggregate(_ values: [Double]) -> ReportTable.Cell {
        let count = values.count
        let mean = values.reduce(0, +) / Double(count)
        guard count > 1 else { return ReportTable.Cell(mean: mean, std: nil, count: 1) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
        return ReportTable.Cell(mean: mean, std: variance.squareRoot(), count: count)
    }

    /// A table of a sweep that fans out over checkpoints shows its final models: the runs at the last
    /// checkpoint, unless the spec groups or averages by the checkpoint itself.
    func atLastCheckpoint(_ context: ReportContext) -> ReportContext {
        let named = spec.rowParams + spec.aggregateOver + spec.averageOver
        guard !named.contains(SweepFanOut.parameter), !named.contains(SweepFanOut.tokensParameter) else {
            return context
        }
        let steps = context.runs.compactMap { run -> Int64? in
            if case .int(let step) = run.params[SweepFanOut.parameter] { step } else { nil }
        }
        guard let last = steps.max() else { return context }
        var filtered = context
        filtered.runs = context.runs.filter { run in
            guard case .int(let step) = run.params[SweepFanOut.parameter] else { return true }
            return step == last
        }
        return filtered
    }

    /// Runs grouped into labelled rows, in the spec's (or the sweep's) order.
    func groupRows(_ context: ReportContext, warnings: inout [String]) -> [(String, [ReportRun])] {
        if spec.rowParams.isEmpty {
            let varying = variesAcross(context.runs).filter { !spec.aggregateOver.contains($0) }
            return context.runs.map { run in
                let label =
                    varying.isEmpty
                    ? String(run.id.prefix(12))
                    : varying.map { "\($0)=\(run.display($0) ?? "–")" }.joined(separator: " ")
                return (spec.rowLabels[label] ?? label, [run])
            }
        }
        var groups: [String: [ReportRun]] = [:]
        var firstSeen: [String] = []
        var rawValues: [String: [String]] = [:]
        for run in context.runs {
            let values = spec.rowParams.map { run.display($0) ?? "–" }
            let key = values.joined(separator: " / ")
            if groups[key] == nil {
                firstSeen.append(key)
                rawValues[key] = values
            }
            groups[key, default: []].append(run)
        }
        for param in spec.rowParams where !context.runs.contains(where: { $0.params[param] != nil }) {
            warnings.append("no run has the row parameter '\(param)'")
        }
        // Each row's sort position, computed once per row from indexed orders (rows are sorted by it).
        let rowOrder = spec.rowOrder.map(Self.positions)
        let valueOrders = spec.rowParams.map { Self.positions(context.valueOrder[$0] ?? []) }
        let positions = firstSeen.enumerated().map { seen, key -> [Int] in
            (rawValues[key] ?? []).enumerated().map { offset, value in
                if let order = spec.rowOrder, let rowOrder {
                    let label = spec.rowLabels[value] ?? value
                    return rowOrder[value] ?? rowOrder[label] ?? (order.count + seen)
                }
                return valueOrders[offset][value] ?? (valueOrders[offset].count + seen)
            }
        }
        let sorted = firstSeen.indices.sorted { positions[$0].lexicographicallyPrecedes(positions[$1]) }
            .map { firstSeen[$0] }
        return sorted.map { key in
            let label = (rawValues[key] ?? []).map { spec.rowLabels[$0] ?? $0 }.joined(separator: " / ")
            return (label, groups[key] ?? [])
        }
    }

    /// Each value's first position in `order`.
    private static func positions(_ order: [String]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (index, value) in order.enumerated() where positions[value] == nil { positions[value] = index }
        return positions
    }

    private func variesAcross(_ runs: [ReportRun]) -> [String] {
        guard let first = runs.first else { return [] }
        let names = Set(runs.flatMap { $0.params.keys }).sorted()
        return names.filter { name in runs.contains { $0.params[name] != first.params[name] } }
    }

    /// Marks each column's best and second-best values (as displayed, so ties are what readers see).
    private func rank(_ table: inout ReportTable) {
        for column in table.columns.indices {
            let shown = table.rows.compactMap {
                $0.cells[column].map { Double(table.format($0.mean, column: column)) ?? $0.mean }
            }
            let distinct = Array(Set(shown)).sorted { table.columns[column].goal == .max ? $0 > $1 : $0 < $1 }
            guard !distinct.isEmpty else { continue }
            for row in table.rows.indices {
                guard let cell = table.rows[row].cells[column] else { continue }
                let value = Double(table.format(cell.mean, column: column)) ?? cell.mean
                if value == distinct[0], table.best != .none {
                    table.rows[row].cells[column]?.rank = .best
                } else if distinct.count > 1, value == distinct[1], table.second != .none {
                    table.rows[row].cells[column]?.rank = .second
                }
            }
        }
    }

    /// Welch's tests over replicates: every row against the baseline row, and, per column, the best
    /// row against the second; Holm-corrected across all of them. A cell that differs significantly
    /// from the baseline gets †; where the best is not significantly better than the second, both are
    /// drawn as best (tied).
    private func test(
        _ table: inout ReportTable, replicates: [[[Double]]], runs: [[ReportRun]],
        _ significance: ReportSpec.Significance
    ) {
        table.tested = true
        var untested = Set<String>()
        /// The p-value of row `a` against row `b` in `column`, by the spec's test.
        func compare(_ a: Int, _ b: Int, _ column: Int) -> Double? {
            switch significance.test {
            case .welch:
                return WelchTest.test(replicates[a][column], replicates[b][column])?.p
            case .pairedBootstrap:
                guard case .metric(let key) = spec.columns[column].source else {
                    untested.insert(table.columns[column].label)
                    return nil
                }
                let lengths = spec.columns[column].lengths ?? spec.lengths
                let strata = Self.pairedStrata(key: key, lengths: lengths, runs[a], runs[b])
                let seed = Self.seed(row: table.rows[a].label + "\u{1F}" + table.rows[b].label, column: column)
                guard !strata.isEmpty, let test = PairedBootstrap.test(strata: strata, seed: seed) else {
                    untested.insert(table.columns[column].label)
                    return nil
                }
                return test.p
            }
        }
        table.significanceMark = significance.mark
        let baselineLabel = significance.baseline ?? spec.baseline
        let baseline = table.rows.firstIndex { $0.label == baselineLabel }
        enum Comparison { case baseline(row: Int, column: Int), top(second: Int, column: Int) }
        var comparisons: [(Comparison, Double)] = []
        for column in table.columns.indices {
            if let baseline {
                for row in table.rows.indices where row != baseline && table.rows[row].cells[column] != nil {
                    if let p = compare(row, baseline, column) {
                        comparisons.append((.baseline(row: row, column: column), p))
                    }
                }
            }
            let best = table.rows.indices.filter { table.rows[$0].cells[column]?.rank == .best }
            let second = table.rows.indices.filter { table.rows[$0].cells[column]?.rank == .second }
            if best.count == 1, let top = best.first, let runnerUp = second.first,
                let p = compare(top, runnerUp, column)
            {
                comparisons.append((.top(second: runnerUp, column: column), p))
            } else if best.count == 1, let top = best.first, spec.second == .none {
                // The runner-up is not highlighted: find it by value.
                let goal = table.columns[column].goal
                let others = table.rows.indices.filter { $0 != top && table.rows[$0].cells[column] != nil }
                if let runnerUp = others.max(by: {
                    let (a, b) = (table.rows[$0].cells[column]!.mean, table.rows[$1].cells[column]!.mean)
                    return goal == .max ? a < b : a > b
                }), let p = compare(top, runnerUp, column) {
                    comparisons.append((.top(second: runnerUp, column: column), p))
                }
            }
        }
        let raw = comparisons.map(\.1)
        let adjusted = significance.correction == .holm ? Holm.adjust(raw) : raw
        var ties = 0
        for ((comparison, _), p) in zip(comparisons, adjusted) {
            switch comparison {
            case .baseline(let row, let column):
                table.rows[row].cells[column]?.p = p
                table.rows[row].cells[column]?.significant = p < significance.alpha
            case .top(let second, let column):
                if p >= significance.alpha {
                    table.rows[second].cells[column]?.rank = .best
                    ties += 1
                }
            }
        }
        let correction =
            significance.correction == .holm
            ? "Holm-corrected across the table's \(raw.count) comparisons" : "uncorrected"
        let over = spec.aggregateOver.isEmpty ? "the runs in each cell" : spec.aggregateOver.joined(separator: ", ")
        let method =
            significance.test == .welch
            ? "Welch's t-test over \(over)"
            : "paired bootstrap over the examples, stratified by dataset and length, 10,000 resamples"
        var note = ""
        if let baselineLabel, baseline != nil {
            note +=
                "\(significance.mark) differs from '\(baselineLabel)' (\(method), \(correction), α = \(significance.alpha)). "
        } else {
            note += "\(method.prefix(1).uppercased() + method.dropFirst()), \(correction), α = \(significance.alpha). "
        }
        note += "Where the best value is not significantly better than the second, both are marked best"
        note += ties > 0 ? " (\(ties) column\(ties == 1 ? "" : "s") here)." : "."
        table.significanceNote = note
        if let baselineLabel, baseline == nil {
            table.warnings.append(
                "significance baseline row '\(baselineLabel)' is not in the table; only best and second were tested")
        }
        if !untested.isEmpty {
            let columns = table.columns.map(\.label).filter(untested.contains).map { "'\($0)'" }.joined(separator: ", ")
            table.warnings.append(
                "not tested by the paired bootstrap, for want of per-example scores in both rows (or a 'mean' column): \(columns)"
            )
            table.significanceNote = (table.significanceNote ?? "") + " Not tested: \(columns)."
        }
    }

    private func addDeltas(_ table: inout ReportTable) {
        guard let baseline = table.rows.first(where: \.isBaseline) else { return }
        for row in table.rows.indices where !table.rows[row].isBaseline {
            for column in table.columns.indices {
                guard let reference = baseline.cells[column]?.mean, let cell = table.rows[row].cells[column] else {
                    continue
                }
                table.rows[row].cells[column]?.delta = cell.mean - reference
            }
        }
    }
}
