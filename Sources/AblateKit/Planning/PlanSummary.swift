import AblateCore

/// What `ablate plan` shows: run and job counts, shared jobs, and the state of each job.
public struct PlanSummary: Sendable {
    /// A job's state as far as the plan knows.
    public enum JobState: String, Sendable, Codable {
        /// Not yet run by any sweep.
        case new
        /// Already succeeded (found in the results database by key): it will be reused.
        case done
    }

    /// Per-stage counts.
    public struct StageLine: Sendable {
        /// The stage name.
        public let name: String
        /// Distinct jobs.
        public let jobs: Int
        /// Jobs that more than one run needs.
        public let sharedJobs: Int
        /// Jobs already done.
        public let doneJobs: Int
        /// The most runs sharing one job.
        public let maxRunsPerJob: Int
    }

    /// The expanded plan.
    public let plan: SweepPlan
    /// Keys of jobs already done.
    public let doneKeys: Set<Digest>
    /// One line per stage, in dependency order.
    public let stages: [StageLine]

    /// Summarises `plan`, marking jobs whose keys are in `doneKeys` as done.
    public init(plan: SweepPlan, doneKeys: Set<Digest> = []) {
        self.plan = plan
        self.doneKeys = doneKeys
        stages = plan.stages.map { stage in
            let perJob = stage.runsPerJob
            return StageLine(
                name: stage.name, jobs: stage.jobCount, sharedJobs: perJob.filter { $0 > 1 }.count,
                doneJobs: stage.keys.filter { doneKeys.contains($0) }.count, maxRunsPerJob: perJob.max() ?? 0)
        }
    }

    /// The state of the job with `key`.
    public func state(of key: Digest) -> JobState {
        doneKeys.contains(key) ? .done : .new
    }

    /// The plain-text report; at most `limit` runs and jobs are listed.
    public func text(limit: Int = 40) -> String {
        var lines: [String] = []
        let doneTotal = stages.reduce(0) { $0 + $1.doneJobs }
        let jobTotal = plan.jobCount
        let header =
            "sweep '\(plan.spec.name)': \(plan.runCount) run\(plan.runCount == 1 ? "" : "s"), "
            + "\(jobTotal) job\(jobTotal == 1 ? "" : "s") in \(stages.count) stage\(stages.count == 1 ? "" : "s")"
        lines.append(header + (doneTotal > 0 ? ", \(doneTotal) already done" : ""))
        let nameWidth = max(5, stages.map(\.name.count).max() ?? 0)
        for stage in stages {
            var line = "  " + stage.name.padding(nameWidth) + "  \(stage.jobs) job\(stage.jobs == 1 ? "" : "s")"
            if stage.sharedJobs > 0 {
                line += ", \(stage.sharedJobs) shared (up to \(stage.maxRunsPerJob) runs each)"
            }
            if stage.doneJobs > 0 { line += ", \(stage.doneJobs) done" }
            lines.append(line)
        }
        let varying = Set(plan.varyingParameters)
        let fixed = plan.runCount > 0 ? plan.runParams(0).filter { !varying.contains($0.name) } : []
        if !fixed.isEmpty {
            lines.append("")
            lines.append(
                "fixed: " + fixed.map { "\($0.name)=\($0.value.displayName.abbreviated(40))" }.joined(separator: " "))
        }
        lines.append("")
        lines.append("runs:")
        for index in 0..<min(plan.runCount, limit) {
            let run = plan.run(index)
            let params = run.params.filter { varying.contains($0.name) }
                .map { "\($0.name)=\($0.value.displayName.abbreviated(40))" }.joined(separator: " ")
            lines.append("  \(run.id.short)  \(params)")
        }
        if plan.runCount > limit { lines.append("  ... and \(plan.runCount - limit) more (--json lists all)") }
        lines.append("")
        lines.append("jobs:")
        var listed = 0
        outer: for stage in plan.stages {
            let perJob = stage.runsPerJob
            for job in 0..<stage.jobCount {
                if listed == limit { break outer }
                listed += 1
                let planned = plan.job(stage: stage.index, index: job)
                var parts = planned.params.filter { varying.contains($0.name) }
                    .map { "\($0.name)=\($0.value.displayName.abbreviated(40))" }
                parts += planned.upstream.map { "after \($0.stage) \($0.key.short)" }
                let shared = perJob[job] > 1 ? "  [shared by \(perJob[job]) runs]" : ""
                let state = state(of: planned.key) == .done ? "  (done)" : ""
                lines.append(
                    "  \(stage.name.padding(nameWidth))  \(planned.key.short)  \(parts.joined(separator: " "))\(shared)\(state)"
                )
            }
        }
        if jobTotal > listed { lines.append("  ... and \(jobTotal - listed) more (--json lists all)") }
        return lines.joined(separator: "\n")
    }
}
