import AblateCore
import AblateExecution
import AblateReport
import AblateStore
import Foundation

/// Gathers what a report needs from the results database: the runs of its sweeps (filtered), the
/// order of parameter values and the metric declarations from the sweep specs, and loss curves.
public struct ReportLoader: Sendable {
    /// The store.
    public let store: ResultStore

    /// A loader over `store`.
    public init(store: ResultStore) {
        self.store = store
    }

    /// The report spec in the file at `path`.
    public static func spec(at path: String) throws -> ReportSpec {
        try ReportSpecParser.parse(yaml: try SpecFile.read(path), file: path)
    }

    /// Builds the table for `spec`; `curves` loads training-loss curves (for HTML).
    public func table(for spec: ReportSpec, curves: Bool = false) throws -> ReportTable {
        try table(for: spec, curves: curves, runsOf: { try store.runs(sweep: $0, where: spec.filter) })
    }

    /// A default report for `sweep` and its table, reading the sweep's runs once.
    public func defaultTable(sweep: String, curves: Bool = false) throws -> ReportTable {
        let runs = try store.runs(sweep: sweep)
        let spec = try defaultSpec(sweep: sweep, runs: runs)
        return try table(for: spec, curves: curves, runsOf: { _ in runs })
    }

    private func table(
        for spec: ReportSpec, curves: Bool, runsOf: (String) throws -> [RunRow]
    ) throws -> ReportTable {
        let known = try store.sweepNames()
        for sweep in spec.sweeps where !known.contains(sweep) {
            throw ExecutionError.unknownSweep(sweep)
        }
        var runs: [ReportRun] = []
        var valueOrder: [String: [String]] = [:]
        // The compute ledger as report columns: `compute.gpu_hours` (every job the run needs) and
        // `compute.gpu_hours_share` (shared jobs divided among the runs that use them), likewise CPU.
        var ledgers: [String: ComputeLedger.Sweep] = [:]
        let wantsCompute = spec.columns.contains {
            if case .metric(let key) = $0.source { key.hasPrefix("compute.") } else { false }
        }
        var ordered: [String: Set<String>] = [:]
        var metrics: [String: MetricDeclaration] = [:]
        // The training a sweep fans out over checkpoints of: its loss is the figure's curve.
        var fannedOut: String?
        for sweep in spec.sweeps {
            for row in try runsOf(sweep) {
                var run = ReportRun(
                    id: row.id, params: row.params, labels: row.labels, metrics: row.metrics.compactMapValues { $0 })
                run.lengthMetrics = row.lengthMetrics
                if wantsCompute {
                    if ledgers[sweep] == nil { ledgers[sweep] = try ComputeLedger.sweep(sweep, store: store) }
                    if let compute = ledgers[sweep]?.runs[row.id] {
                        run.metrics["compute.gpu_hours"] = compute.alone.gpuHours
                        run.metrics["compute.cpu_hours"] = compute.alone.cpuHours
                        run.metrics["compute.gpu_hours_share"] = compute.share.gpuHours
                        run.metrics["compute.cpu_hours_share"] = compute.share.cpuHours
                    }
                }
                runs.append(run)
            }
            guard let (text, path) = try store.sweepSpec(named: sweep), !text.isEmpty,
                let loaded = try? SpecLoader.load(yaml: text, file: path ?? sweep, codeIdentity: { _ in "" })
            else { continue }
            for axis in loaded.spec.axes {
                for value in axis.values where ordered[axis.param, default: []].insert(value.displayName).inserted {
                    valueOrder[axis.param, default: []].append(value.displayName)
                }
            }
            fannedOut = fannedOut ?? loaded.spec.fanOut?.source
            for declaration in loaded.spec.metrics where metrics[declaration.key] == nil {
                metrics[declaration.key] = declaration
            }
        }
        if spec.significance?.test == .pairedBootstrap {
            let keys = spec.columns.compactMap { if case .metric(let key) = $0.source { key } else { nil } }
            let examples = try store.examples(
                runIDs: runs.map(\.id),
                keys: keys + keys.compactMap { $0.split(separator: ".", maxSplits: 1).last.map(String.init) })
            for index in runs.indices { runs[index].examples = examples[runs[index].id] ?? [] }
        }
        let context = ReportContext(
            runs: runs, valueOrder: valueOrder, metrics: metrics,
            curves: curves || spec.figure?.drawsCurves == true
                ? try store.lossCurves(runIDs: runs.map(\.id), stage: fannedOut) : [:])
        return ReportBuilder(spec: spec).build(context)
    }

    /// A sensible default report for a sweep: rows by the parameters that vary (except seeds and the
    /// evaluation length, which are aggregated), columns the declared metrics (or up to 12 found).
    public func defaultSpec(sweep: String) throws -> ReportSpec {
        try defaultSpec(sweep: sweep, runs: store.runs(sweep: sweep))
    }

    private func defaultSpec(sweep: String, runs: [RunRow]) throws -> ReportSpec {
        guard !runs.isEmpty else { throw ExecutionError.unknownSweep(sweep) }
        let replicates = ["seed", "eval_length"]
        let order = runs[0].paramOrder
        let varying = order.filter { name in runs.contains { $0.params[name] != runs[0].params[name] } }
        var declared: [MetricDeclaration] = []
        if let (text, path) = try store.sweepSpec(named: sweep), !text.isEmpty,
            let loaded = try? SpecLoader.load(yaml: text, file: path ?? sweep, codeIdentity: { _ in "" })
        {
            declared = loaded.spec.metrics
        }
        let found = Set(runs.flatMap { $0.metrics.keys.filter { !$0.contains(".") } })
        var columns = declared.filter { found.contains($0.key) }.map {
            ReportSpec.Column(
                source: .metric($0.key), label: $0.label ?? $0.key, goal: $0.goal, location: .init(line: 1, column: 1))
        }
        if columns.isEmpty {
            columns = found.sorted().prefix(12).map {
                ReportSpec.Column(source: .metric($0), label: $0, location: .init(line: 1, column: 1))
            }
        }
        let seeds = Set(runs.compactMap { $0.params["seed"] }).count
        return ReportSpec(
            name: sweep, title: sweep, caption: nil, sweeps: [sweep], filter: nil,
            rowParams: varying.filter { !replicates.contains($0) }, rowOrder: nil, rowLabels: [:], columns: columns,
            aggregateOver: ["seed"], averageOver: ["eval_length"], show: seeds > 1 ? .meanStd : .mean, precision: 1,
            scale: 1, best: .bold, second: .none, baseline: nil)
    }
}
