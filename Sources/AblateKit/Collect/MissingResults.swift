import AblateCore
import AblateStore
import Foundation

/// What a sweep's finished runs lack (`ablate status --missing`): the metrics the sweep declares that a
/// run has no value for, and what the collectors of its jobs said was absent or unreadable (a HELMET
/// dataset missing at a length, a results file that could not be read). Nothing missing is skipped in
/// silence.
public enum MissingResults {
    /// One run that lacks something.
    public struct Entry: Sendable, Equatable {
        /// The run ID.
        public var run: String
        /// The run's parameters that vary in the sweep, as `name=value`.
        public var point: String
        /// Declared metrics without a value.
        public var metrics: [String]
        /// The collectors' warnings for the run's jobs, each with its job.
        public var collection: [String]
    }

    /// The entries of `sweep`'s succeeded runs, and how many runs are not finished yet.
    public static func report(store: ResultStore, sweep: String) throws -> (entries: [Entry], unfinished: Int) {
        var declared: [String] = []
        var varying: [String] = []
        if let (text, path) = try store.sweepSpec(named: sweep), !text.isEmpty,
            let loaded = try? SpecLoader.load(yaml: text, file: path ?? sweep, codeIdentity: { _ in "" })
        {
            declared = loaded.spec.metrics.map(\.key)
            varying = loaded.spec.axes.map(\.param)
        }
        var entries: [Entry] = []
        var unfinished = 0
        for run in try store.runs(sweep: sweep) {
            guard run.status == .succeeded else {
                if run.status != .external { unfinished += 1 }
                continue
            }
            let absent = declared.filter { key in
                (run.metrics[key] ?? nil) == nil && run.lengthMetrics[key] == nil
            }
            var collection: [String] = []
            for job in try store.runDetail(id: run.id).jobs {
                for record in try store.collections(ofJob: job.key) {
                    collection += record.warnings.map {
                        "\(job.stage) \(job.key.prefix(12)) \(record.collector): \($0)"
                    }
                }
            }
            guard !absent.isEmpty || !collection.isEmpty else { continue }
            let point = varying.compactMap { name in run.display(param: name).map { "\(name)=\($0)" } }
            entries.append(
                Entry(run: run.id, point: point.joined(separator: " "), metrics: absent, collection: collection))
        }
        return (entries, unfinished)
    }

    /// The report as text: one block per run.
    public static func text(_ entries: [Entry], unfinished: Int, sweep: String) -> String {
        var lines: [String] = []
        if entries.isEmpty {
            lines.append(
                "sweep '\(sweep)': every succeeded run has every declared metric, and no collector reported a gap")
        }
        for entry in entries {
            lines.append("run \(entry.run.prefix(12)) \(entry.point)")
            if !entry.metrics.isEmpty { lines.append("  no value for: \(entry.metrics.joined(separator: ", "))") }
            for warning in entry.collection { lines.append("  \(warning)") }
        }
        if unfinished > 0 { lines.append("\(unfinished) run(s) not finished yet (not checked)") }
        return lines.joined(separator: "\n")
    }
}
