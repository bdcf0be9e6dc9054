import AblateCore
import AblateStore
import Foundation

/// What `ablate plan` estimates for the jobs not done yet: GPU-hours, and the wall time of the longest
/// chain of jobs through the DAG (what it takes with enough slots or nodes), from the recorded durations
/// of comparable jobs (succeeded attempts of the same stage, in any sweep, with the most parameters equal;
/// their median), else from the stage's time limit (`resources.time` or `timeout`), and says which.
public struct Forecast: Sendable, Equatable {
    /// GPU-hours of the jobs not done.
    public var gpuHours = 0.0
    /// Hours along the longest chain of jobs not done.
    public var wallHours = 0.0
    /// Jobs estimated from recorded comparable jobs.
    public var fromRecords = 0
    /// Jobs estimated from their time limit (an upper bound).
    public var fromLimits = 0
    /// Jobs with neither, left out of the figures.
    public var unknown = 0

    /// The forecast for `plan`'s jobs not among `done`.
    public static func estimate(plan: SweepPlan, done: Set<Digest>, store: ResultStore?) throws -> Forecast {
        let recorded = try store?.recordedDurations(stages: plan.stages.map(\.name)) ?? []
        let byStage = Dictionary(grouping: recorded, by: \.stage)
        var forecast = Forecast()
        var finish: [[Double]] = []  // per stage, per job: hours from now until it ends
        for stage in plan.stages {
            var ends = [Double](repeating: 0, count: stage.jobCount)
            let limit = stage.stage.timeoutSeconds ?? stage.stage.resources.timeLimitSeconds
            let gpus = Double(stage.stage.resources.gpus * max(stage.stage.resources.nodes ?? 1, 1))
            for index in 0..<stage.jobCount {
                let job = plan.job(stage: stage.index, index: index)
                let start = zip(stage.upstreamStages, job.upstreamJobIndices).map { finish[$0][$1] }.max() ?? 0
                guard !done.contains(job.key) else {
                    ends[index] = start
                    continue
                }
                var seconds: Double?
                if let candidates = byStage[stage.name], !candidates.isEmpty {
                    let params = job.paramValues
                    let score = { (candidate: ResultStore.RecordedDuration) in
                        params.filter { candidate.params[$0.key] == $0.value }.count
                    }
                    let best = candidates.map(score).max() ?? 0
                    let nearest = candidates.filter { score($0) == best }.map(\.seconds).sorted()
                    seconds = nearest[nearest.count / 2]
                    forecast.fromRecords += 1
                } else if let limit {
                    seconds = limit
                    forecast.fromLimits += 1
                } else {
                    forecast.unknown += 1
                }
                let hours = (seconds ?? 0) / 3_600
                forecast.gpuHours += hours * gpus
                ends[index] = start + hours
            }
            finish.append(ends)
        }
        forecast.wallHours = finish.flatMap { $0 }.max() ?? 0
        return forecast
    }

    /// The jobs the forecast covers.
    public var jobs: Int { fromRecords + fromLimits + unknown }

    /// One line for `ablate plan`.
    public var text: String {
        guard jobs > 0 else { return "forecast: nothing to run" }
        var sources: [String] = []
        if fromRecords > 0 { sources.append("\(fromRecords) from recorded comparable jobs") }
        if fromLimits > 0 { sources.append("\(fromLimits) from their time limits, an upper bound") }
        if unknown > 0 { sources.append("\(unknown) unknown (no comparable job recorded, no time limit): left out") }
        return
            "forecast for the \(jobs) job(s) not done: ≈ \(ComputeLedger.format(gpuHours)) GPU-hours, ≈ \(ComputeLedger.format(wallHours)) h of wall time along the longest chain of jobs (\(sources.joined(separator: "; ")))"
    }
}
