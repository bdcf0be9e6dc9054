import AblateKit
import Foundation

/// `ablate gc`'s text and JSON.
enum GarbageText {
    static func text(_ plan: GarbageCollector.Plan, applied: Bool, freed: UInt64) -> String {
        var lines = plan.deletions.map { deletion in
            let what = deletion.what == "output" ? "output of" : "checkpoint of"
            return DiskUsage.human(deletion.bytes).padding(toLength: 7, withPad: " ", startingAt: 0)
                + " \(applied ? "deleted" : "would delete") \(deletion.path) (\(what) \(deletion.stage) \(deletion.jobKey.prefix(12)): \(deletion.reason))"
        }
        for (key, reason) in plan.protected {
            lines.append("        left alone: job \(key.prefix(12)): \(reason)")
        }
        lines.append(
            applied
                ? "freed \(DiskUsage.human(freed)) (\(freed) bytes) in \(plan.deletions.count) deletion(s)"
                : "would free \(DiskUsage.human(plan.bytes)) (\(plan.bytes) bytes) in \(plan.deletions.count) deletion(s); run 'ablate gc --apply' to delete"
        )
        return lines.joined(separator: "\n")
    }

    static func json(_ plan: GarbageCollector.Plan, applied: Bool) -> String {
        let deletions: [[String: Any]] = plan.deletions.map {
            [
                "path": $0.path, "bytes": $0.bytes, "what": $0.what, "job": $0.jobKey, "stage": $0.stage,
                "reason": $0.reason,
            ]
        }
        let document: [String: Any] = [
            "applied": applied, "bytes": plan.bytes, "deletions": deletions,
            "left_alone": plan.protected.map { ["job": $0.key, "reason": $0.reason] },
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
