import AblateKit
import Foundation

/// The text and JSON of `ablate status`.
public enum StatusReport {
    /// The order states are listed in: done first, then what is moving, then what went wrong.
    static let displayOrder: [JobState] = [.succeeded, .running, .queued, .new, .failed, .blocked, .cancelled]

    /// Per sweep and stage: counts per state; then each unsuccessful job with its reason and log.
    public static func text(_ rows: [SweepJobRow]) -> String {
        guard !rows.isEmpty else { return "no jobs recorded" }
        var lines: [String] = []
        for sweep in unique(rows.map(\.sweep)) {
            let jobs = rows.filter { $0.sweep == sweep }
            let done = jobs.filter { $0.state == .succeeded }.count
            lines.append("sweep '\(sweep)': \(done)/\(jobs.count) jobs succeeded")
            for stage in unique(jobs.map(\.stage)) {
                let stageJobs = jobs.filter { $0.stage == stage }
                let counts = displayOrder.compactMap { state -> String? in
                    let count = stageJobs.filter { $0.state == state }.count
                    return count > 0 ? "\(count) \(state.rawValue)" : nil
                }
                lines.append("  \(stage): " + counts.joined(separator: ", "))
                // Why queued jobs wait (Slurm's pending reasons, retries), most common first.
                let waiting = stageJobs.filter { $0.state == .queued }.compactMap(\.reason)
                let reasons = Dictionary(waiting.map { ($0, 1) }, uniquingKeysWith: +).sorted {
                    ($0.value, $1.key) > ($1.value, $0.key)
                }
                for (reason, count) in reasons { lines.append("    queued: \(count) \(reason)") }
            }
            for job in jobs where job.state.isFinal && job.state != .succeeded {
                var line = "  \(job.state.rawValue) \(job.stage) \(job.key.prefix(12))"
                if let reason = job.reason { line += ": \(reason)" }
                if let directory = job.outputDir, job.state != .blocked {
                    line += " — log: \(JobDirectory(url: URL(fileURLWithPath: directory)).stderr.path)"
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `[{"sweep", "stages": {stage: {state: count}}, "jobs": [{"key", "stage", "state", "reason", "dir", "attempts"}]}]`.
    public static func json(_ rows: [SweepJobRow]) -> String {
        let sweeps: [ParamValue] = unique(rows.map(\.sweep)).map { sweep in
            let jobs = rows.filter { $0.sweep == sweep }
            var stages: [String: ParamValue] = [:]
            for stage in unique(jobs.map(\.stage)) {
                var counts: [String: ParamValue] = [:]
                for job in jobs where job.stage == stage {
                    counts[job.state.rawValue] = .int((counts[job.state.rawValue].flatMap(\.intValue) ?? 0) + 1)
                }
                stages[stage] = .object(counts)
            }
            return .object([
                "sweep": .string(sweep),
                "stages": .object(stages),
                "jobs": .array(
                    jobs.map { job in
                        .object([
                            "key": .string(job.key), "stage": .string(job.stage), "state": .string(job.state.rawValue),
                            "reason": job.reason.map(ParamValue.string) ?? .null,
                            "dir": job.outputDir.map(ParamValue.string) ?? .null,
                            "attempts": .int(Int64(job.attempts)),
                        ])
                    }),
            ])
        }
        return PrettyJSON.render(.array(sweeps))
    }

    private static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
