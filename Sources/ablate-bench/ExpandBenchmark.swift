import AblateCore
import ArgumentParser
import Foundation

/// `ablate-bench expand`: expand and hash a 6-axis sweep with 3 stages (side^6 points).
struct ExpandBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Expand and hash a sweep of side^6 points with 3 stages; baseline: Python itertools + hashlib."
    )

    @Option(help: "Values per axis; 6 axes, so 10 gives 1,000,000 points.")
    var side = 10

    @Option(help: "Repetitions; the median is reported.")
    var repeats = 3

    @Flag(help: "Skip the Python baseline.")
    var noBaseline = false

    func run() async throws {
        let yaml = Self.spec(side: side)
        var times: [Double] = []
        var plan: SweepPlan?
        for _ in 0..<repeats {
            plan = nil
            let start = ContinuousClock.now
            plan = try SpecLoader.load(yaml: yaml, file: "bench.yaml").plan
            times.append((ContinuousClock.now - start).seconds)
        }
        guard let plan else { return }
        let median = times.sorted()[times.count / 2]
        let rss = Measurements.peakRSSMegabytes()
        print(
            "ablate: \(plan.runCount) points, \(plan.jobCount) jobs "
                + "(\(plan.stages.map { "\($0.name) \($0.jobCount)" }.joined(separator: ", "))): "
                + "median \(median.formatted(3)) s of \(times.map { $0.formatted(3) }.joined(separator: ", ")); peak RSS \(rss.formatted(0)) MB"
        )
        guard !noBaseline else { return }
        let baseline = try Measurements.runPython("scripts/bench/expand_baseline.py", arguments: [String(side)])
        let seconds = baseline["seconds"] as? Double ?? .nan
        let baselineRSS = baseline["rss_mb"] as? Double ?? .nan
        print(
            "baseline (Python itertools.product + hashlib.sha256): \(baseline["points"] ?? "?") points, "
                + "\(baseline["jobs"] ?? "?") jobs: \(seconds.formatted(3)) s; peak RSS \(baselineRSS.formatted(0)) MB")
        print("ratio: ablate is \((seconds / median).formatted(1))x faster than the baseline")
    }

    /// A spec with axes a..f of `side` values; pretrain uses a,b; sft c,d; eval e,f.
    static func spec(side: Int) -> String {
        var text = "sweep: bench\ngrid:\n"
        for axis in ["a", "b", "c", "d", "e", "f"] {
            text += "  \(axis): [" + (0..<side).map { "\(axis)\($0)" }.joined(separator: ", ") + "]\n"
        }
        text += """
            stages:
              pretrain: {run: "train {params.a} {params.b} --out {output}", uses: [a, b]}
              sft: {run: "sft {pretrain.output} {params.c} {params.d}", uses: [c, d], after: [pretrain]}
              eval: {run: "eval {sft.output} {params.e} {params.f}", uses: [e, f], after: [sft]}

            """
        return text
    }
}
