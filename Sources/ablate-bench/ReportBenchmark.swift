import AblateCore
import AblateReport
import AblateStats
import ArgumentParser
import Foundation

/// `ablate-bench report`: build and render a 12-column table over 10,000 runs (3 seeds each), against
/// the same aggregation in plain Python.
struct ReportBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Aggregate and render a report over N runs; baseline: Python dict/statistics.")

    @Option(help: "Runs (rows x 3 seeds).")
    var runs = 10_000

    @Option(help: "Repetitions; the median is reported.")
    var repeats = 5

    @Flag(
        help:
            "Bootstrap intervals (10,000 resamples) in every cell and Welch's tests against a baseline row; baseline: numpy and scipy."
    )
    var statistics = false

    func run() throws {
        let metrics = ["recall", "rag", "rerank", "icl", "qa", "summ", "hellaswag", "mmlu", "arc", "wg"]
        var context = ReportContext(runs: [])
        var generator = SeededRandom(seed: 7)
        var lines: [String] = []
        for index in 0..<runs {
            let row = index / 3
            var values: [String: Double] = [:]
            for metric in metrics { values[metric] = Double(generator.next() % 10_000) / 100 }
            context.runs.append(
                ReportRun(
                    id: String(index), params: ["variant": .int(Int64(row)), "seed": .int(Int64(index % 3))],
                    metrics: values))
            let metricJSON = metrics.map { "\"\($0)\": \(values[$0]!)" }.joined(separator: ", ")
            lines.append("{\"variant\": \(row), \"seed\": \(index % 3), \(metricJSON)}")
        }
        var columns = metrics.map { ReportSpec.Column(source: .metric($0), label: $0) }
        columns.append(.init(source: .mean(Array(metrics.prefix(6))), label: "Long Avg."))
        columns.append(.init(source: .mean(Array(metrics.suffix(4))), label: "Short Avg."))
        var spec = ReportSpec(
            name: "bench", sweeps: ["bench"], rowParams: ["variant"], columns: columns,
            show: statistics ? .meanCI : .meanStd, second: .underline)
        if statistics {
            spec.interval = .bootstrap
            spec.significance = ReportSpec.Significance(baseline: "0")
        }
        var times: [Double] = []
        var sizes: [Int] = []
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            let table = ReportBuilder(spec: spec).build(context)
            let text = MarkdownRenderer().render(table) + LaTeXRenderer().render(table)
            times.append((ContinuousClock.now - start).seconds)
            sizes.append(text.utf8.count)
        }
        let median = times.sorted()[repeats / 2]
        let what = statistics ? " + bootstrap intervals in every cell + Welch's tests with Holm" : ""
        print(
            "ablate: \(runs) runs, \(runs / 3) rows x 12 columns, aggregate\(what) + Markdown + LaTeX: median \((median * 1000).formatted(1)) ms (\(sizes[0]) bytes)"
        )
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("ablate-report-bench.jsonl")
        try lines.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let script = statistics ? "scripts/bench/statistics_baseline.py" : "scripts/bench/report_baseline.py"
        let baseline = try Measurements.runPython(script, arguments: [input.path])
        let seconds = baseline["seconds"] as? Double ?? .nan
        print(
            statistics
                ? "baseline (numpy bootstrap of 10,000 resamples per cell, scipy Welch per row and metric, Holm; statistics only, no table): \((seconds * 1000).formatted(1)) ms"
                : "baseline (Python: dict grouping, statistics.mean/stdev, string formatting): \((seconds * 1000).formatted(1)) ms"
        )
        print("ratio: ablate is \((seconds / median).formatted(1))x faster than the baseline")
    }
}
