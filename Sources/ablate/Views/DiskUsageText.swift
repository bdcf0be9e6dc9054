import AblateKit
import Foundation

/// `ablate du`'s text and JSON.
enum DiskUsageText {
    static func text(_ report: DiskUsage.Report, by grouping: DiskUsage.Grouping) -> String {
        var lines: [String] = []
        let width = max(report.entries.map { min($0.name.count, 64) }.max() ?? 5, 5)
        for entry in report.entries {
            let name = entry.name.count > 64 ? String(entry.name.prefix(64)) : entry.name
            var line =
                DiskUsage.human(entry.bytes).padding(toLength: 7, withPad: " ", startingAt: 0) + " "
                + name.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  \(entry.jobs) job(s), \(entry.files) file(s)"
            if let detail = entry.detail { line += ", " + detail }
            if grouping != .sweep { line += ", sweeps: " + entry.sweeps.joined(separator: ", ") }
            lines.append(line)
        }
        var total =
            DiskUsage.human(report.bytes).padding(toLength: 7, withPad: " ", startingAt: 0)
            + " total: \(report.jobs) job director(ies), \(report.files) file(s), \(report.bytes) bytes"
        if grouping == .sweep, report.entries.count > 1 {
            total += " (a job shared by sweeps counts in each above, once here)"
        }
        lines.append(total)
        return lines.joined(separator: "\n")
    }

    static func json(_ report: DiskUsage.Report, by grouping: DiskUsage.Grouping) -> String {
        let entries: [[String: Any]] = report.entries.map { entry in
            var object: [String: Any] = [
                grouping.rawValue: entry.name, "bytes": entry.bytes, "files": entry.files, "jobs": entry.jobs,
                "sweeps": entry.sweeps,
            ]
            if let detail = entry.detail { object["detail"] = detail }
            return object
        }
        let document: [String: Any] = [
            "bytes": report.bytes, "files": report.files, "jobs": report.jobs, "by": grouping.rawValue,
            "entries": entries,
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
