import AblateKit

/// The text `ablate diff` prints: parameters, metrics and git state that differ between two runs.
public enum RunDiffText {
    /// Compares `left` with `right`.
    public static func render(_ left: RunDetail, _ right: RunDetail) -> String {
        var lines = [
            "--- run \(left.run.id.prefix(12)) (\(left.run.sweep))",
            "+++ run \(right.run.id.prefix(12)) (\(right.run.sweep))",
        ]
        var names = left.run.paramOrder
        for name in right.run.paramOrder where !names.contains(name) { names.append(name) }
        var paramLines: [String] = []
        for name in names {
            let a = left.run.display(param: name)
            let b = right.run.display(param: name)
            if left.run.params[name] != right.run.params[name] {
                paramLines.append("  \(name): \(a ?? "(unset)") -> \(b ?? "(unset)")")
            }
        }
        lines.append("params:")
        lines += paramLines.isEmpty ? ["  (same)"] : paramLines
        let keys = Set(left.run.metrics.keys).union(right.run.metrics.keys).filter { !$0.contains(".") }.sorted()
        var metricLines: [String] = []
        for key in keys {
            let a = left.run.metrics[key].flatMap { $0 }
            let b = right.run.metrics[key].flatMap { $0 }
            guard a != b else { continue }
            var line = "  \(key): \(a.map(RunTableBuilder.format) ?? "-") -> \(b.map(RunTableBuilder.format) ?? "-")"
            if let a, let b { line += " (\(b - a >= 0 ? "+" : "")\(RunTableBuilder.format(b - a)))" }
            metricLines.append(line)
        }
        lines.append("metrics:")
        lines += metricLines.isEmpty ? ["  (same)"] : metricLines
        lines.append("git:")
        let roles = Set(left.revisions.map(\.role)).union(right.revisions.map(\.role)).sorted()
        var gitLines: [String] = []
        for role in roles {
            let a = left.revisions.last { $0.role == role }?.revision
            let b = right.revisions.last { $0.role == role }?.revision
            for (field, value) in [
                ("commit", { (r: GitRevision) in r.commit ?? "-" }), ("branch", { $0.branch ?? "-" }),
                ("dirty", { $0.dirty ? "yes" : "no" }),
                ("diff", { $0.diff.isEmpty ? "none" : "\($0.diff.split(separator: "\n").count) lines" }),
            ] as [(String, (GitRevision) -> String)] {
                let x = a.map(value) ?? "-"
                let y = b.map(value) ?? "-"
                if x != y || (field == "diff" && a?.diff != b?.diff) {
                    gitLines.append("  \(role) \(field): \(x) -> \(y)\(x == y ? " (contents differ)" : "")")
                }
            }
        }
        lines += gitLines.isEmpty ? ["  (same)"] : gitLines
        return lines.joined(separator: "\n")
    }

    /// The statistics of `--stats`: per metric the means, the difference with its interval, the p-value.
    public static func render(_ comparison: ConfigurationComparison) -> String {
        let level = RunTableBuilder.format(comparison.level * 100)
        var lines = [
            "stats (\(comparison.firstRuns.count) vs \(comparison.secondRuns.count) runs; Welch's t-test, \(level)% intervals):"
        ]
        for metric in comparison.metrics {
            let meanA = metric.first.isEmpty ? nil : metric.first.reduce(0, +) / Double(metric.first.count)
            let meanB = metric.second.isEmpty ? nil : metric.second.reduce(0, +) / Double(metric.second.count)
            var line =
                "  \(metric.key): \(meanA.map(RunTableBuilder.format) ?? "-") -> \(meanB.map(RunTableBuilder.format) ?? "-")"
            if let difference = metric.difference, let p = metric.p {
                let sign = difference.mean >= 0 ? "+" : ""
                line +=
                    " (\(sign)\(RunTableBuilder.format(difference.mean)), \(level)% CI [\(RunTableBuilder.format(difference.lower)), "
                    + "\(RunTableBuilder.format(difference.upper))], p = \(RunTableBuilder.format(p)))"
            } else {
                line += " (not testable: needs two values with some spread on each side)"
            }
            line += " n = \(metric.first.count) vs \(metric.second.count)"
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
