import AblateTestSupport
import Foundation
import Testing

/// The real trainer (scripts/minilm, PyTorch) through `ablate run` and `ablate report`: a tiny version of
/// the demo sweep, so the orchestrator is always tested against real training jobs.
@Suite(.serialized, .enabled(if: TestTools.trainer, "the trainer venv is missing; run scripts/setup-trainer.sh"))
struct TrainerSweepTests {
    @Test func aTinyMiniProLongSweepTrainsAndReports() throws {
        let root = AblateProcess.packageRoot
        try #require(
            FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(".venv/bin/python").path),
            "run scripts/setup-trainer.sh")
        let directory = try AblateProcess.temporaryDirectory()
        var spec = try String(contentsOf: root.appendingPathComponent("sweeps/mini-prolong.yaml"), encoding: .utf8)
        for (from, to) in [
            ("base_tokens: 2500000", "base_tokens: 30000"), ("tokens: 1200000", "tokens: 30000"),
            ("sft_tokens: 150000", "sft_tokens: 8000"),
            ("train_length: [256, 1024]", "train_length: [256]"), ("eval_lengths: [256, 512]", "eval_lengths: [128]"),
            ("seed: [1]", "seed: [1, 2, 3]"),
            ("PYTHONPATH=scripts .venv/bin/python", "PYTHONPATH=\(root.path)/scripts \(root.path)/.venv/bin/python"),
        ] {
            #expect(spec.contains(from), "\(from)")
            spec = spec.replacingOccurrences(of: from, with: to)
        }
        try spec.write(to: directory.appendingPathComponent("mini.yaml"), atomically: true, encoding: .utf8)
        let run = try AblateProcess.run(["run", "mini.yaml", "--jobs", "2"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("finished: 28 succeeded"))
        let losses = try AblateProcess.run(
            [
                "sql",
                "SELECT COUNT(*) FROM metric_points p JOIN metric_keys k ON k.id = p.key_id WHERE k.name = 'loss'",
                "--format", "csv",
            ],
            in: directory)
        #expect((Int(losses.stdout.split(separator: "\n").last ?? "") ?? 0) > 0)
        let report = try AblateProcess.run(
            ["report", root.appendingPathComponent("reports/mini-prolong.yaml").path, "--format", "csv"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        let lines = report.stdout.split(separator: "\n")
        try #require(lines.count == 4, "\(report.stdout)")
        #expect(lines[0].hasPrefix("long_data / train_length,Recall,Recall std,Recall n,RAG"))
        #expect(lines[1].contains(",3,"), "three seeds per row: \(lines[1])")
        #expect(lines[1].hasPrefix("Books / 256,"))
        #expect(lines[3].hasPrefix("Books + Code repos / 256,"))
        // The same table with 95% intervals over the seeds and Welch's tests against the books row.
        var statistics = try String(
            contentsOf: root.appendingPathComponent("reports/mini-prolong.yaml"), encoding: .utf8)
        statistics = statistics.replacingOccurrences(
            of: "aggregate: {over: [seed], show: mean}", with: "aggregate: {over: [seed], show: mean±ci, ci: 0.95}")
        statistics += "significance: {baseline: Books / 256, test: welch, alpha: 0.05}\n"
        try statistics.write(to: directory.appendingPathComponent("stats.yaml"), atomically: true, encoding: .utf8)
        let csv = try AblateProcess.run(["report", "stats.yaml", "--format", "csv"], in: directory)
        #expect(csv.status == 0, "\(csv.stderr)")
        let header = csv.stdout.split(separator: "\n").first ?? ""
        #expect(header.hasPrefix("long_data / train_length,Recall,Recall lo,Recall hi,Recall p,Recall std,Recall n"))
        let markdown = try AblateProcess.run(["report", "stats.yaml"], in: directory)
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.contains(" ± "))
        #expect(markdown.stdout.contains("Cells: mean ± half-width of its 95% t interval over seed."))
        #expect(markdown.stdout.contains("† differs from 'Books / 256' (Welch's t-test over seed, Holm-corrected"))
        // A second run reuses every job.
        let again = try AblateProcess.run(["run", "mini.yaml"], in: directory)
        #expect(again.stdout.contains("(0 run now, 28 reused)"))
    }
}
