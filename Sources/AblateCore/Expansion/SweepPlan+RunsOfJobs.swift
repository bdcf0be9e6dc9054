extension SweepPlan {
    /// The IDs (hex) of the runs that need each job, by job key (hex), in run order: what a job's
    /// `config.json` lists under `runs`.
    public func runIDsByJob() -> [String: [String]] {
        var runs: [String: [String]] = [:]
        for run in 0..<runCount {
            let id = runID(run).hex
            for stage in stages {
                runs[stage.keys[stage.job(ofRun: run)].hex, default: []].append(id)
            }
        }
        return runs
    }
}
