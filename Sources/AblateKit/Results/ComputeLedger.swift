import AblateCore
import AblateStore
import Foundation

/// The compute a sweep used, from its attempts: each attempt's resources (CPUs and GPUs per node, times
/// nodes) times its wall time, running ones until now, failed and retried ones included; and the tokens
/// its trainings saw where known.
///
/// How shared jobs count (what a paper's compute appendix must say): a sweep's total counts each of its
/// jobs once, including jobs it reused from another sweep (they count in each sweep that needs them); a
/// run's `alone` counts every job it needs in full, and its `share` divides each job by the number of
/// current runs (of every sweep) that use it, so that shares add up across runs.
public enum ComputeLedger {
    /// Compute totals.
    public struct Totals: Sendable, Equatable {
        /// GPU-hours.
        public var gpuHours = 0.0
        /// CPU-hours.
        public var cpuHours = 0.0
        /// Wall-clock hours of the attempts, summed.
        public var wallHours = 0.0
        /// Attempts counted.
        public var attempts = 0
        /// The GPU-hours of attempts that failed, timed out, were lost or cancelled (included above).
        public var wastedGPUHours = 0.0
        /// Tokens seen by the trainings among the jobs, where known.
        public var tokens: Double?

        static func += (lhs: inout Totals, rhs: Totals) {
            lhs.gpuHours += rhs.gpuHours
            lhs.cpuHours += rhs.cpuHours
            lhs.wallHours += rhs.wallHours
            lhs.attempts += rhs.attempts
            lhs.wastedGPUHours += rhs.wastedGPUHours
            if let tokens = rhs.tokens { lhs.tokens = (lhs.tokens ?? 0) + tokens }
        }

        func scaled(_ factor: Double) -> Totals {
            Totals(
                gpuHours: gpuHours * factor, cpuHours: cpuHours * factor, wallHours: wallHours * factor,
                attempts: attempts, wastedGPUHours: wastedGPUHours * factor, tokens: tokens.map { $0 * factor })
        }
    }

    /// A sweep's ledger.
    public struct Sweep: Sendable, Equatable {
        /// Every job once.
        public var total: Totals
        /// By stage.
        public var stages: [String: Totals]
        /// By run ID: every job in full, and the run's share of shared jobs.
        public var runs: [String: (alone: Totals, share: Totals)]

        /// Equal when they say the same (the left-alone list and tuples aside).
        public static func == (lhs: Sweep, rhs: Sweep) -> Bool {
            lhs.total == rhs.total && lhs.stages == rhs.stages
                && lhs.runs.mapValues { [$0.alone, $0.share] } == rhs.runs.mapValues { [$0.alone, $0.share] }
        }
    }

    /// The ledger of `sweep` as of `now`.
    public static func sweep(_ sweep: String, store: ResultStore, now: Date = Date()) throws -> Sweep {
        let usage = try store.attemptUsage(sweep: sweep)
        var perJob: [String: Totals] = [:]
        var stageOf: [String: String] = [:]
        for attempt in usage {
            guard let started = attempt.startedAt else { continue }
            let hours = max(0, (attempt.endedAt ?? now).timeIntervalSince(started)) / 3_600
            let nodes = Double(max(attempt.nodes ?? 1, 1))
            var totals = Totals()
            totals.wallHours = hours
            totals.gpuHours = Double(attempt.gpus ?? 0) * nodes * hours
            totals.cpuHours = Double(attempt.cpus ?? 1) * nodes * hours
            totals.attempts = 1
            if let outcome = attempt.outcome, outcome != .succeeded, outcome != .requeued {
                totals.wastedGPUHours = totals.gpuHours
            }
            perJob[attempt.jobKey, default: Totals()] += totals
            stageOf[attempt.jobKey] = attempt.stage
        }
        let tokens = try store.tokensSeen(jobKeys: Array(perJob.keys))
        for (key, value) in tokens { perJob[key]?.tokens = value }
        var result = Sweep(total: Totals(), stages: [:], runs: [:])
        for (key, totals) in perJob {
            result.total += totals
            result.stages[stageOf[key] ?? "", default: Totals()] += totals
        }
        let runs = try store.jobsOfRuns(sweep: sweep)
        let users = try store.runsUsing(jobKeys: Array(Set(runs.values.joined())))
        for (run, jobs) in runs {
            var alone = Totals()
            var share = Totals()
            for job in Set(jobs) {
                guard let totals = perJob[job] else { continue }
                alone += totals
                share += totals.scaled(1 / Double(max(users[job] ?? 1, 1)))
            }
            result.runs[run] = (alone, share)
        }
        return result
    }

    /// One line for `ablate status`.
    public static func text(_ totals: Totals, sweep: String) -> String {
        var text =
            "compute of '\(sweep)': \(format(totals.gpuHours)) GPU-hours, \(format(totals.cpuHours)) CPU-hours over \(totals.attempts) attempt(s)"
        if totals.wastedGPUHours > 0 {
            text += " (\(format(totals.wastedGPUHours)) GPU-hours in attempts that did not succeed)"
        }
        if let tokens = totals.tokens { text += ", \(format(tokens / 1e9)) B tokens trained" }
        return text
    }

    /// The lines for `ablate show RUN`.
    public static func runText(alone: Totals, share: Totals) -> String {
        var text =
            "compute: \(format(alone.gpuHours)) GPU-hours, \(format(alone.cpuHours)) CPU-hours for every job it needs"
        text +=
            "; its share of jobs shared with other runs: \(format(share.gpuHours)) GPU-hours, \(format(share.cpuHours)) CPU-hours"
        if let tokens = alone.tokens { text += "\ntokens trained: \(format(tokens / 1e9)) B" }
        return text
    }

    static func format(_ value: Double) -> String {
        value >= 100
            ? String(format: "%.0f", value) : value >= 1 ? String(format: "%.1f", value) : String(format: "%.3f", value)
    }
}
