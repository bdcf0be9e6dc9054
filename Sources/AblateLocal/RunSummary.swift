import AblateCore

/// How a sweep's run ended.
public struct RunSummary: Sendable {
    /// A job that did not succeed.
    public struct Problem: Sendable {
        /// The stage.
        public var stage: String
        /// The job key.
        public var key: String
        /// failed, cancelled or blocked.
        public var state: JobState
        /// Why.
        public var reason: String
        /// Where its error log is.
        public var log: String
    }

    /// Jobs per final state.
    public var counts: [JobState: Int] = [:]
    /// Jobs that did not succeed.
    public var problems: [Problem] = []
    /// Jobs another orchestrator was still running when this one stopped.
    public var elsewhere = 0
    /// Whether the run was interrupted (Ctrl-C, SIGTERM).
    public var interrupted = false
    /// Jobs that ran in this invocation (attempts started or adopted).
    public var ran = 0
    /// Jobs reused because they had already succeeded.
    public var reused = 0
    /// Jobs that ended with their metrics pending (the database could not be written).
    public var metricsPending = 0

    /// 0 only when every job of the sweep succeeded and its metrics are recorded; 130 when
    /// interrupted; 1 otherwise.
    public var exitCode: Int32 {
        if interrupted { return 130 }
        return problems.isEmpty && elsewhere == 0 && metricsPending == 0 ? 0 : 1
    }

    /// The closing lines: totals, then each problem with its log.
    public var text: String {
        let order: [JobState] = [.succeeded, .failed, .blocked, .cancelled, .new, .queued, .running]
        let parts = order.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
        var lines = [
            "\(interrupted ? "interrupted" : "finished"): " + parts.joined(separator: ", ")
                + " (\(ran) run now, \(reused) reused)"
        ]
        if elsewhere > 0 { lines.append("\(elsewhere) job(s) are still running under another ablate process") }
        if metricsPending > 0 {
            lines.append(
                "\(metricsPending) job(s) ended with their metrics pending (the database could not be written); "
                    + "the next 'ablate run', 'sync' or 'status' ingests them")
        }
        for problem in problems.prefix(20) {
            lines.append(
                "  \(problem.state.rawValue) \(problem.stage) \(problem.key.prefix(12)): \(problem.reason) — log: \(problem.log)"
            )
        }
        if problems.count > 20 { lines.append("  ... and \(problems.count - 20) more ('ablate status' lists all)") }
        return lines.joined(separator: "\n")
    }
}
