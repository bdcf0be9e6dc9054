import AblateCore

extension PlanSummary {
    /// The `--json` form: `{"sweep", "runs": [{"id", "params", "labels", "jobs"}], "jobs": [{"id", "stage",
    /// "params", "after", "state", "runs"}]}`, pretty-printed with sorted keys.
    public func json() -> String {
        var runs: [ParamValue] = []
        runs.reserveCapacity(plan.runCount)
        for index in 0..<plan.runCount {
            let run = plan.run(index)
            runs.append(
                .object([
                    "id": .string(run.id.hex),
                    "params": .object(run.paramValues),
                    "labels": .object(run.labels.mapValues(ParamValue.string)),
                    "jobs": .array(run.jobs.map { .string($0.hex) }),
                ]))
        }
        var jobs: [ParamValue] = []
        for stage in plan.stages {
            let perJob = stage.runsPerJob
            for index in 0..<stage.jobCount {
                let job = plan.job(stage: stage.index, index: index)
                jobs.append(
                    .object([
                        "id": .string(job.key.hex),
                        "stage": .string(job.stage),
                        "params": .object(job.paramValues),
                        "after": .array(job.upstream.map { .string($0.key.hex) }),
                        "state": .string(state(of: job.key).rawValue),
                        "runs": .int(Int64(perJob[index])),
                    ]))
            }
        }
        let document: ParamValue = .object([
            "sweep": .string(plan.spec.name), "runs": .array(runs), "jobs": .array(jobs),
        ])
        return PrettyJSON.render(document)
    }
}
