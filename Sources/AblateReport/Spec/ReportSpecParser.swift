import AblateCore
import Yams

/// Parses and validates a report spec, reporting every problem at once as `FILE:LINE:COL: error: ...`.
public enum ReportSpecParser {
    // The keys of each mapping of a report spec, in the order that "valid keys are" lists them. Each mapping is
    // read through `YAMLReader.readKeys(of:as:in:_:)`, so that the keys accepted and suggested are exactly those
    // that its exhaustive `switch` handles.

    /// The keys of a report spec; handled by `parse(yaml:file:)`.
    private enum TopKey: String, CaseIterable {
        case report, title, caption, from, rows, columns, aggregate, precision, scale, highlight, baseline,
            significance, figure
    }

    /// The keys of `from`; handled by `parseFrom`.
    private enum FromKey: String, CaseIterable {
        case sweep, `where`
    }

    /// The keys of `rows`; handled by `parseRows`.
    private enum RowsKey: String, CaseIterable {
        case by, order, labels
    }

    /// The keys of a column group; `parseColumns` looks both up itself and walks the group for unknown keys only.
    private enum GroupKey: String, CaseIterable {
        case group, columns
    }

    /// The keys of a column; handled by `parseColumn`.
    private enum ColumnKey: String, CaseIterable {
        case metric, mean, label, scale, precision, goal, length
    }

    /// The keys of `aggregate`; handled by `parseAggregate`.
    private enum AggregateKey: String, CaseIterable {
        case over, averageOver = "average_over", with, show, ci, interval, lengths
    }

    /// The keys of `significance`; handled by `parseSignificance`.
    private enum SignificanceKey: String, CaseIterable {
        case baseline, test, alpha, correction, mark
    }

    private static func parseSignificance(_ node: Node, _ reader: inout YAMLReader) -> ReportSpec.Significance? {
        guard case .mapping(let mapping) = node else {
            reader.expect(
                node, what: "'significance'", expected: "a mapping such as '{baseline: ROW, test: welch, alpha: 0.05}'")
            return nil
        }
        var significance = ReportSpec.Significance()
        reader.readKeys(of: mapping, as: SignificanceKey.self, in: "'significance'") { reader, key, value in
            switch key {
            case .baseline:
                significance.baseline = reader.scalarString(
                    value, what: "'significance.baseline'", expected: "a row label")
            case .test:
                guard
                    let text = reader.scalarString(
                        value, what: "'significance.test'", expected: "'welch' or 'paired-bootstrap'")
                else {
                    return
                }
                if let test = ReportSpec.Significance.Test(rawValue: text) {
                    significance.test = test
                } else {
                    reader.report(
                        reader.location(of: value), "test '\(text)' is not valid; use 'welch' or 'paired-bootstrap'")
                }
            case .alpha:
                guard case .scalar(let scalar) = value, let alpha = Double(scalar.string), alpha > 0, alpha < 1 else {
                    reader.report(
                        reader.location(of: value), "'significance.alpha' must be a level between 0 and 1, such as 0.05"
                    )
                    return
                }
                significance.alpha = alpha
            case .mark:
                guard let text = reader.scalarString(value, what: "'significance.mark'", expected: "a short mark")
                else {
                    return
                }
                if text.isEmpty || text.count > 3 || text.contains(where: { $0.isNewline || $0 == "|" }) {
                    reader.report(
                        reader.location(of: value),
                        "'significance.mark' '\(text)' must be one to three characters, without '|' or a line break, such as '†' or '*'"
                    )
                } else {
                    significance.mark = text
                }
            case .correction:
                guard let text = reader.scalarString(value, what: "'significance.correction'", expected: "holm or none")
                else { return }
                if let correction = ReportSpec.Significance.Correction(rawValue: text) {
                    significance.correction = correction
                } else {
                    reader.report(reader.location(of: value), "correction '\(text)' is not valid; use 'holm' or 'none'")
                }
            }
        }
        return significance
    }

    /// The keys of `highlight`; handled by `parseHighlight`.
    private enum HighlightKey: String, CaseIterable {
        case best, second
    }

    /// Parses `yaml`.
    ///
    /// - Throws: `SpecValidationError` with every problem found.
    public static func parse(yaml: String, file: String) throws(SpecValidationError) -> ReportSpec {
        var reader = YAMLReader(file: file, source: yaml)
        let start = SourceLocation(line: 1, column: 1)
        guard let root = reader.compose() else {
            if reader.diagnostics.isEmpty {
                reader.report(start, "the report spec is empty; it needs at least 'report', 'from' and 'columns'")
            }
            throw SpecValidationError(diagnostics: reader.diagnostics)
        }
        guard case .mapping(let mapping) = root else {
            reader.report(
                reader.location(of: root), "a report spec must be a mapping with keys such as 'report' and 'columns'")
            throw SpecValidationError(diagnostics: reader.diagnostics)
        }
        var spec = ReportSpec(
            name: "", title: nil, caption: nil, sweeps: [], filter: nil, rowParams: [], rowOrder: nil, rowLabels: [:],
            columns: [], aggregateOver: ["seed"], averageOver: [], show: .mean, precision: 1, scale: 1, best: .bold,
            second: .none, baseline: nil)
        var sawName = false
        var sawFrom = false
        var sawColumns = false
        reader.readKeys(of: mapping, as: TopKey.self, in: nil) { reader, key, value in
            switch key {
            case .report:
                sawName = true
                spec.name = reader.scalarString(value, what: "'report'", expected: "a name") ?? ""
            case .title: spec.title = reader.scalarString(value, what: "'title'", expected: "text")
            case .caption: spec.caption = reader.scalarString(value, what: "'caption'", expected: "text")
            case .from:
                sawFrom = true
                parseFrom(value, into: &spec, &reader)
            case .rows: parseRows(value, into: &spec, &reader)
            case .columns:
                sawColumns = true
                spec.columns = parseColumns(value, &reader)
            case .aggregate: parseAggregate(value, into: &spec, &reader)
            case .precision:
                if let number = wholeNumber(value, "'precision'", &reader) { spec.precision = number }
            case .scale:
                if let number = positiveNumber(value, "'scale'", &reader) { spec.scale = number }
            case .highlight: parseHighlight(value, into: &spec, &reader)
            case .baseline: spec.baseline = reader.scalarString(value, what: "'baseline'", expected: "a row label")
            case .significance: spec.significance = parseSignificance(value, &reader)
            case .figure: spec.figure = parseFigure(value, &reader)
            }
        }
        if !sawName { reader.report(start, "missing required key 'report'; add a name such as 'report: long-data'") }
        if !sawFrom { reader.report(start, "missing required key 'from'; add 'from: {sweep: NAME}'") }
        if !sawColumns { reader.report(start, "missing required key 'columns'; list the metrics to show") }
        checkMeanReferences(spec, &reader)
        guard !reader.diagnostics.contains(where: { $0.severity == .error }) else {
            throw SpecValidationError(diagnostics: reader.diagnostics)
        }
        return spec
    }

    private static func parseFrom(_ node: Node, into spec: inout ReportSpec, _ reader: inout YAMLReader) {
        guard case .mapping(let mapping) = node else {
            reader.expect(node, what: "'from'", expected: "a mapping such as '{sweep: long-data-source}'")
            return
        }
        reader.readKeys(of: mapping, as: FromKey.self, in: "'from'") { reader, key, value in
            switch key {
            case .sweep: spec.sweeps = names(value, "'from.sweep'", &reader)
            case .`where`:
                spec.filter = reader.scalarString(value, what: "'from.where'", expected: "a filter expression")
            }
        }
        if spec.sweeps.isEmpty {
            reader.report(
                reader.location(of: node), "'from' needs 'sweep': the sweep (or list of sweeps) to read runs from")
        }
    }

    private static func parseRows(_ node: Node, into spec: inout ReportSpec, _ reader: inout YAMLReader) {
        guard case .mapping(let mapping) = node else {
            reader.expect(node, what: "'rows'", expected: "a mapping such as '{by: long_data}'")
            return
        }
        reader.readKeys(of: mapping, as: RowsKey.self, in: "'rows'") { reader, key, value in
            switch key {
            case .by:
                let params = names(value, "'rows.by'", &reader)
                spec.rowParams = params == ["run"] ? [] : params
            case .order: spec.rowOrder = names(value, "'rows.order'", &reader)
            case .labels:
                guard case .mapping(let labels) = value else {
                    reader.expect(value, what: "'rows.labels'", expected: "a mapping from values to display text")
                    return
                }
                for (labelKey, labelValue) in labels {
                    guard let from = reader.keyString(labelKey),
                        let to = reader.scalarString(labelValue, what: "a row label", expected: "text")
                    else { continue }
                    spec.rowLabels[from] = to
                }
            }
        }
    }

    private static func parseColumns(_ node: Node, _ reader: inout YAMLReader) -> [ReportSpec.Column] {
        guard case .sequence(let sequence) = node else {
            reader.expect(node, what: "'columns'", expected: "a list of columns or groups")
            return []
        }
        var columns: [ReportSpec.Column] = []
        for item in sequence {
            if case .mapping(let mapping) = item, mapping["group"] != nil {
                let group = mapping["group"].flatMap { reader.scalarString($0, what: "'group'", expected: "a title") }
                reader.readKeys(of: mapping, as: GroupKey.self, in: "a column group") { _, key, _ in
                    switch key {
                    // Looked up directly: the title before the other keys are checked, the columns after.
                    case .group, .columns: break
                    }
                }
                guard let inner = mapping["columns"], case .sequence(let entries) = inner else {
                    reader.report(
                        reader.location(of: item), "column group '\(group ?? "")' needs 'columns': a list of columns")
                    continue
                }
                for entry in entries {
                    if var column = parseColumn(entry, &reader) {
                        column.group = group
                        columns.append(column)
                    }
                }
            } else if let column = parseColumn(item, &reader) {
                columns.append(column)
            }
        }
        if columns.isEmpty, case .sequence(let items) = node, items.isEmpty {
            reader.report(reader.location(of: node), "'columns' is empty; list at least one metric")
        }
        return columns
    }

    private static func parseColumn(_ node: Node, _ reader: inout YAMLReader) -> ReportSpec.Column? {
        guard case .mapping(let mapping) = node else {
            reader.expect(node, what: "a column", expected: "a mapping such as '{metric: recall, label: Recall}'")
            return nil
        }
        var source: ReportSpec.ColumnSource?
        var column = ReportSpec.Column(source: .metric(""), label: "", location: reader.location(of: node))
        reader.readKeys(of: mapping, as: ColumnKey.self, in: "a column") { reader, key, value in
            switch key {
            case .metric:
                if let metric = reader.scalarString(value, what: "'metric'", expected: "a metric key") {
                    source = .metric(metric)
                }
            case .mean: source = .mean(names(value, "'mean'", &reader))
            case .label: column.label = reader.scalarString(value, what: "'label'", expected: "text") ?? ""
            case .scale: column.scale = positiveNumber(value, "'scale'", &reader)
            case .precision: column.precision = wholeNumber(value, "'precision'", &reader)
            case .length: column.lengths = lengths(value, "'length'", &reader)
            case .goal:
                if let text = reader.scalarString(value, what: "'goal'", expected: "'max' or 'min'") {
                    column.goal = MetricDeclaration.Goal(rawValue: text)
                    if column.goal == nil {
                        reader.report(reader.location(of: value), "goal '\(text)' is not valid; use 'max' or 'min'")
                    }
                }
            }
        }
        guard let source else {
            reader.report(column.location, "a column needs 'metric: KEY' or 'mean: [COLUMNS]'")
            return nil
        }
        column.source = source
        if column.label.isEmpty {
            if case .metric(let key) = source {
                column.label = key
            } else {
                reader.report(column.location, "a 'mean' column needs a 'label', such as 'Long Avg.'")
            }
        }
        return column
    }

    /// An evaluation length or a list of them, each a whole number above 0.
    private static func lengths(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> [Int]? {
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            reader.expect(node, what: what, expected: "an evaluation length or a list such as [32768, 65536]")
            return nil
        }
        var lengths: [Int] = []
        for item in items {
            guard case .scalar(let scalar) = item, let length = Int(scalar.string), length > 0 else {
                reader.report(
                    reader.location(of: item),
                    "\(what) must list evaluation lengths (whole numbers above 0, such as 32768), not '\(item.scalar?.string ?? reader.kind(of: item))'"
                )
                continue
            }
            lengths.append(length)
        }
        return lengths.isEmpty ? nil : lengths
    }

    private static func parseAggregate(_ node: Node, into spec: inout ReportSpec, _ reader: inout YAMLReader) {
        guard case .mapping(let mapping) = node else {
            reader.expect(node, what: "'aggregate'", expected: "a mapping such as '{over: [seed], show: mean±std}'")
            return
        }
        reader.readKeys(of: mapping, as: AggregateKey.self, in: "'aggregate'") { reader, key, value in
            switch key {
            case .over: spec.aggregateOver = names(value, "'aggregate.over'", &reader)
            case .averageOver: spec.averageOver = names(value, "'aggregate.average_over'", &reader)
            case .lengths: spec.lengths = lengths(value, "'aggregate.lengths'", &reader)
            case .with:
                if let text = reader.scalarString(value, what: "'aggregate.with'", expected: "'mean'"), text != "mean" {
                    reader.report(reader.location(of: value), "aggregate 'with: \(text)' is not supported; use 'mean'")
                }
            case .show:
                guard let text = reader.scalarString(value, what: "'aggregate.show'", expected: "a display mode") else {
                    return
                }
                let normalized = text.replacingPlusMinus()
                if let show = ReportSpec.Show(rawValue: normalized) {
                    spec.show = show
                } else {
                    reader.report(
                        reader.location(of: value),
                        "show '\(text)' is not valid; use 'mean', 'mean±std', 'mean (n)' or 'mean±ci'")
                }
            case .ci:
                guard case .scalar(let scalar) = value, let level = Double(scalar.string), level > 0, level < 1 else {
                    reader.report(
                        reader.location(of: value),
                        "'aggregate.ci' must be a confidence level between 0 and 1, such as 0.95")
                    return
                }
                spec.confidence = level
            case .interval:
                guard let text = reader.scalarString(value, what: "'aggregate.interval'", expected: "t or bootstrap")
                else { return }
                if let method = ReportSpec.IntervalMethod(rawValue: text) {
                    spec.interval = method
                } else {
                    reader.report(reader.location(of: value), "interval '\(text)' is not valid; use 't' or 'bootstrap'")
                }
            }
        }
    }

    private static func parseHighlight(_ node: Node, into spec: inout ReportSpec, _ reader: inout YAMLReader) {
        guard case .mapping(let mapping) = node else {
            reader.expect(node, what: "'highlight'", expected: "a mapping such as '{best: bold, second: underline}'")
            return
        }
        reader.readKeys(of: mapping, as: HighlightKey.self, in: "'highlight'") { reader, key, value in
            guard
                let text = reader.scalarString(
                    value, what: "'highlight.\(key.rawValue)'", expected: "bold, underline or none")
            else { return }
            guard let style = ReportSpec.Style(rawValue: text) else {
                reader.report(
                    reader.location(of: value),
                    "highlight style '\(text)' is not valid; use 'bold', 'underline' or 'none'")
                return
            }
            switch key {
            case .best: spec.best = style
            case .second: spec.second = style
            }
        }
    }

    private static func checkMeanReferences(_ spec: ReportSpec, _ reader: inout YAMLReader) {
        let known =
            spec.columns.map(\.label)
            + spec.columns.compactMap { if case .metric(let key) = $0.source { key } else { nil } }
        for column in spec.columns {
            guard case .mean(let parts) = column.source else { continue }
            if parts.isEmpty { reader.report(column.location, "'mean' of column '\(column.label)' lists no columns") }
            for part in parts where !known.contains(part) || part == column.label {
                reader.report(
                    column.location,
                    "column '\(column.label)' averages '\(part)', which is not another column's label or metric"
                        + NameSuggestion.hint(for: part, in: known))
            }
        }
    }

    private static func names(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> [String] {
        switch node {
        case .scalar: return reader.scalarString(node, what: what, expected: "a name").map { [$0] } ?? []
        case .sequence(let sequence):
            return sequence.compactMap { reader.scalarString($0, what: "an entry of \(what)", expected: "a name") }
        default:
            reader.expect(node, what: what, expected: "a name or a list of names")
            return []
        }
    }

    private static func wholeNumber(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Int? {
        if case .int(let value)? = reader.paramValue(node), value >= 0, value <= 12 { return Int(value) }
        reader.report(reader.location(of: node), "\(what) must be a whole number from 0 to 12")
        return nil
    }

    private static func positiveNumber(_ node: Node, _ what: String, _ reader: inout YAMLReader) -> Double? {
        if let value = reader.paramValue(node)?.numberValue, value > 0 { return value }
        reader.report(reader.location(of: node), "\(what) must be a positive number, such as 100")
        return nil
    }
}

extension String {
    fileprivate func replacingPlusMinus() -> String {
        self == "mean+-std" || self == "mean+/-std" || self == "mean ± std" ? "mean±std" : self
    }
}
