import AblateKit
import Foundation

/// The text `ablate show` prints for a run or a job.
public enum RunDetailText {
    /// A run: its parameters, jobs (state, attempts, logs, metrics) and git provenance.
    public static func render(_ detail: RunDetail) -> String {
        let run = detail.run
        var lines = ["run \(run.id)", "  sweep    \(run.sweep)", "  status   \(run.status.rawValue)"]
        if run.external { lines.append("  imported (not run by ablate)") }
        lines.append("  created  \(timestamp(run.createdAt))")
        lines.append("")
        lines.append("params:")
        let width = run.paramOrder.map(\.count).max() ?? 0
        for name in run.paramOrder {
            guard let value = run.params[name] else { continue }
            var text = value.description
            if let label = run.labels[name] { text = "\(label)  (\(text))" }
            lines.append("  \(name.padding(width))  \(text)")
        }
        for job in detail.jobs {
            lines.append("")
            lines += render(job)
        }
        if detail.jobs.isEmpty, !run.metrics.isEmpty {
            lines.append("")
            lines.append("metrics:")
            for (key, value) in run.metrics.sorted(by: { $0.key < $1.key }) where !key.contains(".") {
                lines.append("  \(key)  \(value.map(RunTableBuilder.format) ?? "NaN")")
            }
        }
        for (role, revision) in detail.revisions {
            lines.append("")
            lines += render(revision, role: role)
        }
        return lines.joined(separator: "\n")
    }

    /// A job: state, directory, logs, attempts and metric summaries.
    public static func render(_ job: RunDetail.Job) -> [String] {
        var lines = ["job \(job.stage) \(job.key.prefix(12))  \(job.state.rawValue)"]
        lines.append("  config   \(job.params)")
        if let directory = job.outputDir {
            lines.append("  dir      \(directory)")
            let job = JobDirectory(url: URL(fileURLWithPath: directory))
            lines.append("  logs     \(job.stdout.path), \(job.stderr.path)")
        }
        for attempt in job.attempts {
            var parts = ["  attempt \(attempt.number)", attempt.backend.rawValue]
            if let id = attempt.backendJobID { parts.append("id \(id)") }
            if let host = attempt.host { parts.append("on \(host)") }
            parts.append(attempt.state.rawValue)
            if let code = attempt.exitCode { parts.append("exit \(code)") }
            if let signal = attempt.signal { parts.append("signal \(signal)") }
            if let start = attempt.startedAt {
                let duration =
                    attempt.endedAt.map { String(format: "%.1fs", $0.timeIntervalSince(start)) } ?? "not ended"
                parts.append("\(timestamp(start)) (\(duration))")
            }
            if let code = attempt.code {
                parts.append(
                    code.isRepository
                        ? "code \(code.commit.map { String($0.prefix(12)) } ?? "(no commit)")\(code.dirty ? " (dirty)" : "")"
                        : "code: \(code.path) is not a git repository")
            }
            if let reason = attempt.reason { parts.append("— \(reason)") }
            lines.append(parts.joined(separator: "  "))
        }
        if !job.metrics.isEmpty {
            lines.append("  metrics:")
            let width = job.metrics.map(\.key.count).max() ?? 0
            for metric in job.metrics {
                var text = "    \(metric.key.padding(width))  \(metric.value.map(RunTableBuilder.format) ?? "NaN")"
                if metric.count > 0 {
                    let range = [metric.min, metric.max].map { $0.map(RunTableBuilder.format) ?? "NaN" }
                    text +=
                        "  (\(metric.count) points to step \(metric.lastStep ?? 0), min \(range[0]), max \(range[1]))"
                }
                lines.append(text)
            }
        }
        for collection in job.collections {
            var text =
                "  collected \(collection.collector)  \(collection.values) values  \(timestamp(collection.collectedAt))"
            if !collection.provenance.isEmpty {
                let shown = collection.provenance.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.description)" }
                text += "  (\(shown.joined(separator: ", ")))"
            }
            lines.append(text)
            for warning in collection.warnings { lines.append("    warning: \(warning)") }
            let values = job.collected.filter { $0.collector == collection.collector }
            let keys = values.map(\.key).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            let width = keys.map(\.count).max() ?? 0
            for key in keys {
                let cells = values.filter { $0.key == key }.map { value in
                    (value.length == 0 ? "" : "\(value.length): ") + (value.value.map(RunTableBuilder.format) ?? "NaN")
                }
                lines.append("    \(key.padding(width))  \(cells.joined(separator: "  "))")
            }
        }
        return lines
    }

    /// A git revision.
    public static func render(_ revision: GitRevision, role: String) -> [String] {
        guard revision.isRepository else { return ["git (\(role)): \(revision.path) is not a git repository"] }
        var lines = ["git (\(role)): \(revision.root ?? revision.path)"]
        lines.append("  commit   \(revision.commit ?? "(no commits yet)")")
        lines.append("  branch   \(revision.branch ?? "(detached HEAD)")")
        lines.append("  dirty    \(revision.dirty ? "yes" : "no")")
        if !revision.untracked.isEmpty {
            lines.append("  untracked  \(revision.untracked.joined(separator: ", "))")
        }
        if !revision.diff.isEmpty {
            let diffLines = revision.diff.split(separator: "\n", omittingEmptySubsequences: false)
            lines.append("  diff     \(diffLines.count) lines (ablate show --diff prints it)")
        }
        return lines
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
