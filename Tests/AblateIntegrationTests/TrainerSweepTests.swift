import AblateTestSupport
import Foundation
import Testing

/// The real trainer (scripts/minilm: a Hugging Face Llama trained by the HF Trainer, evaluated in HELMET's
/// format and by the real lm-evaluation-harness) through `ablate run` and `ablate report`: a tiny version
/// of the demo sweep, so the orchestrator, the checkpoint fan-out and the collectors are always tested
/// against real training and evaluation jobs.
@Suite(.serialized, .enabled(if: TestTools.trainer, "the trainer venv is missing; run scripts/setup-trainer.sh"))
struct TrainerSweepTests {
    /// The demo sweep, shrunk: 2 data sources x 2 seeds, 12 pretraining steps with checkpoints at 6 and 12.
    static func spec(root: URL) throws -> String {
        var spec = try String(contentsOf: root.appendingPathComponent("sweeps/mini-prolong.yaml"), encoding: .utf8)
        for (from, to) in [
            ("base_tokens: 2500000", "base_tokens: 20480"), ("tokens: 786432", "tokens: 24576"),
            ("save_every: 128", "save_every: 6"), ("every: 128, last: 384", "steps: [6, 12]"),
            ("sft_tokens: 100000", "sft_tokens: 4096"), ("train_length: [512, 1024]", "train_length: [512]"),
            ("long_data: [books, code_repos, books+code_repos]", "long_data: [books, code_repos]"),
            ("    books+code_repos: books@0.5 code_repos@0.5\n", ""),
            ("eval_lengths: [256, 512]", "eval_lengths: [128]"), ("eval_examples: 48", "eval_examples: 4"),
            ("seed: [1]", "seed: [1, 2]"), ("--batch_size 16", "--batch_size 16 --limit 12"),
            ("PYTHONPATH=scripts", "PYTHONPATH=\(root.path)/scripts"), (".venv/bin/", "\(root.path)/.venv/bin/"),
        ] {
            #expect(spec.contains(from), "\(from)")
            spec = spec.replacingOccurrences(of: from, with: to)
        }
        return spec
    }

    static func report(root: URL) throws -> String {
        let report = try String(contentsOf: root.appendingPathComponent("reports/mini-prolong.yaml"), encoding: .utf8)
        #expect(report.contains("lengths: [256, 512]"))
        return report.replacingOccurrences(of: "lengths: [256, 512]", with: "lengths: [128]")
    }

    static func sql(_ query: String, in directory: URL) throws -> [[Substring]] {
        let result = try AblateProcess.run(["sql", query, "--format", "csv"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
    }

    @Test func aTinyMiniProLongSweepTrainsEvaluatesCheckpointsAndReports() throws {
        let root = AblateProcess.packageRoot
        let directory = try AblateProcess.temporaryDirectory()
        try Self.spec(root: root).write(
            to: directory.appendingPathComponent("mini.yaml"), atomically: true, encoding: .utf8)
        try Self.report(root: root).write(
            to: directory.appendingPathComponent("report.yaml"), atomically: true, encoding: .utf8)
        let run = try AblateProcess.run(["run", "mini.yaml", "--jobs", "2"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        // 1 base, 4 pretrain, and per pretraining checkpoint (2 each) a base_eval, an sft and an eval.
        #expect(run.stdout.contains("finished: 29 succeeded"), "\(run.stdout)")
        #expect(!run.stdout.contains("warning"), "\(run.stdout)")

        // Which reader each recorded value came from: the HF Trainer's files for the training stages,
        // HELMET's format and lm-eval's results for the evaluations; nothing from metrics.jsonl.
        let sources = try Self.sql(
            """
            SELECT j.stage, substr(v.collector, 1, instr(v.collector, ':') - 1), COUNT(DISTINCT j.id)
            FROM job_values v JOIN jobs j ON j.id = v.job_id GROUP BY 1, 2 ORDER BY 1, 2
            """, in: directory)
        #expect(
            sources.map { $0.joined(separator: " ") } == [
                "base hf-trainer 1", "base_eval helmet 8", "base_eval lm-eval 8", "eval helmet 8",
                "pretrain hf-trainer 4", "sft hf-trainer 8",
            ])
        let keys = try Self.sql(
            """
            SELECT DISTINCT j.stage || ' ' || substr(v.collector, 1, instr(v.collector, ':') - 1) || ' ' || v.key
            FROM job_values v JOIN jobs j ON j.id = v.job_id
            WHERE v.key IN ('recall', 'rag', 'rerank', 'icl', 'final_loss', 'train_loss', 'tokens',
                            'lm_eval.mini_hellaswag.acc_norm', 'lm_eval.mini_gsm8k.exact_match.strict-match')
            ORDER BY 1
            """, in: directory
        ).map { String($0.joined()) }
        for expected in [
            "base_eval helmet icl", "base_eval helmet rag", "base_eval helmet recall", "base_eval helmet rerank",
            "base_eval lm-eval lm_eval.mini_gsm8k.exact_match.strict-match",
            "base_eval lm-eval lm_eval.mini_hellaswag.acc_norm", "eval helmet recall", "pretrain hf-trainer final_loss",
            "pretrain hf-trainer tokens", "pretrain hf-trainer train_loss", "sft hf-trainer final_loss",
        ] {
            #expect(keys.contains(expected), "\(expected) in \(keys)")
        }
        let ownFormat = try Self.sql("SELECT COUNT(*) FROM metric_points", in: directory)
        #expect(ownFormat.first?.first == "0", "no job writes Ablate's own metrics.jsonl")
        let loss = try Self.sql(
            "SELECT COUNT(*) FROM collected_points WHERE collector LIKE 'hf-trainer:%' AND key = 'loss'", in: directory)
        #expect((Int(loss.first?.first ?? "") ?? 0) >= 4 * 2, "the Trainer's logged losses are series")

        // The table: the final checkpoints, two seeds per row, from the collected values.
        let report = try AblateProcess.run(["report", "report.yaml", "--format", "csv"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        let lines = report.stdout.split(separator: "\n")
        try #require(lines.count == 3, "\(report.stdout)")
        #expect(lines[0].hasPrefix("long_data / train_length,Recall,Recall std,Recall n,RAG"))
        #expect(lines[0].contains(",Short Avg.,"))
        #expect(lines[1].hasPrefix("Books / 512,"))
        #expect(lines[1].contains(",2,"), "two seeds per row: \(lines[1])")
        #expect(lines[2].hasPrefix("Code repos / 512,"))
        // The figure: the long-context average over the checkpoints' tokens, before and after SFT.
        let figure = directory.appendingPathComponent("figure.svg")
        let drawn = try AblateProcess.run(["report", "report.yaml", "--figure", figure.path], in: directory)
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let svg = try String(contentsOf: figure, encoding: .utf8)
        #expect(svg.contains("Before SFT") && svg.contains("After SFT"))
        #expect(svg.contains("Books") && svg.contains("Code repos"))

        // The same table with 95% intervals over the seeds and Welch's tests against the books row.
        var statistics = try Self.report(root: root)
        statistics = statistics.replacingOccurrences(
            of: "show: mean}", with: "show: mean±ci, ci: 0.95}")
        statistics += "significance: {baseline: Books / 512, test: welch, alpha: 0.05}\n"
        try statistics.write(to: directory.appendingPathComponent("stats.yaml"), atomically: true, encoding: .utf8)
        let csv = try AblateProcess.run(["report", "stats.yaml", "--format", "csv"], in: directory)
        #expect(csv.status == 0, "\(csv.stderr)")
        let header = csv.stdout.split(separator: "\n").first ?? ""
        #expect(header.hasPrefix("long_data / train_length,Recall,Recall lo,Recall hi,Recall p,Recall std,Recall n"))
        let markdown = try AblateProcess.run(["report", "stats.yaml"], in: directory)
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.stdout.contains("Cells: mean ± half-width of its 95% t interval over seed."))
        // A second run reuses every job.
        let again = try AblateProcess.run(["run", "mini.yaml"], in: directory)
        #expect(again.stdout.contains("(0 run now, 29 reused)"), "\(again.stdout)")
    }
}
