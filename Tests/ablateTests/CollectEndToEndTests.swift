import AblateTestSupport
import Foundation
import Testing

/// A three-stage sweep whose stages write what the Hugging Face Trainer, HELMET and lm-evaluation-harness
/// write (through the stand-ins in scripts/standins), collected into the sweep's runs and reported as
/// the paper reports them.
@Suite(.enabled(if: TestTools.python, "needs python3 for the HELMET and lm-eval stand-ins"), .serialized)
struct CollectEndToEndTests {
    static let spec = """
        sweep: collected
        params:
          bsz: 8
        grid:
          mix: [books, repos]
          seed: [1, 2]
        stages:
          pretrain:
            uses: [mix, seed, bsz]
            collect: [{hf-trainer: ., tokens_per_step: "{params.bsz} * 1024"}]
            run: >-
              cd {output} && python3 -c 'import json, sys; h = [{{"step": s, "loss": 4 - s / 10, "learning_rate": 1e-5, "epoch": s / 10}}
              for s in range(1, 11)]; json.dump({{"global_step": 10, "log_history": h}}, open("trainer_state.json", "w"))'
          sft:
            after: [pretrain]
            run: echo sft > sft.txt
          eval:
            after: [sft]
            collect: [{helmet: helmet/, examples: true}, {lm-eval: lm-eval/}]
            run: >-
              cd "$HELMET_DIR" && for t in recall rag rerank icl longqa summ cite; do
              python3 eval.py --config "configs/$t"_short.yaml --model_name_or_path {sft.output}
              --tag v1 --output_dir {output}/helmet > /dev/null || exit 1; done &&
              cd {output} && mkdir -p output && ln -sfn ../helmet output/model &&
              python3 "$HELMET_DIR/scripts/eval_gpt4_longqa.py" --model_to_check model > /dev/null &&
              python3 "$HELMET_DIR/scripts/eval_gpt4_summ.py" --model_to_check model > /dev/null &&
              python3 "$LM_EVAL_STANDIN" --model hf --model_args pretrained={sft.output},dtype=bfloat16
              --tasks hellaswag,mmlu,arc_challenge,winogrande,gsm8k --output_path lm-eval --log_samples > /dev/null
        metrics:
          recall: {goal: max}
          summ: {goal: max}
          hellaswag: {goal: max}
          gsm8k: {goal: max}
        """

    static let report = """
        report: collected
        from: {sweep: collected}
        rows: {by: mix}
        columns:
          - group: HELMET
            columns:
              - {metric: recall, label: Recall}
              - {metric: rag, label: RAG}
              - {metric: rerank, label: Re-rank}
              - {metric: icl, label: ICL}
              - {metric: longqa, label: LongQA}
              - {metric: summ, label: Summ.}
              - {metric: cite, label: Cite}
              - {mean: [Recall, RAG, Re-rank, ICL, LongQA, Summ., Cite], label: Avg.}
              - {metric: recall, length: 65536, label: Recall 64K}
          - group: Short
            columns:
              - {metric: hellaswag, label: HellaS.}
              - {metric: mmlu, label: MMLU}
              - {metric: arc_challenge, label: ARC-c}
              - {metric: winogrande, label: WG}
              - {metric: gsm8k, label: GSM8K}
          - {metric: tokens, label: Tokens, precision: 0}
        aggregate: {over: [seed], lengths: [32768, 65536], show: mean}
        """

    static let environment = [
        "HELMET_DIR": HELMETStandIn.directory.path, "OPENAI_API_KEY": "stand-in",
        "LM_EVAL_STANDIN": AblateProcess.packageRoot.appendingPathComponent("scripts/standins/lm-eval/lm_eval.py").path,
    ]

    func ablate(_ arguments: [String], in directory: URL) throws -> AblateProcess.Result {
        try AblateProcess.run(arguments, in: directory, environment: Self.environment)
    }

    func sql(_ query: String, in directory: URL) throws -> String {
        try ablate(["sql", query, "--format", "csv"], in: directory).stdout
    }

    func sweep() throws -> URL {
        let directory = try AblateProcess.temporaryDirectory()
        try Self.spec.write(to: directory.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        try Self.report.write(to: directory.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let run = try ablate(["run", "s.yaml"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        return directory
    }

    @Test func theReportShowsEveryCategoryAndShortTaskOfEveryRunAveragedOver32KAnd64K() throws {
        let directory = try sweep()
        let report = try ablate(["report", "r.yaml", "--format", "csv"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(!report.stderr.contains("warning"), "\(report.stderr)")
        let lines = report.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.dropFirst().allSatisfy { !$0.contains(",,") }, "\(report.stdout)")
        // The cell is the mean over seeds of each run's mean over 32K and 64K, as read from the files.
        let runs = try sql(
            "SELECT r.key, m.eval_length, m.value FROM run_metrics m JOIN runs r ON r.id = m.run_id JOIN run_params p ON p.run_id = r.id AND p.name = 'mix' AND p.value_text = 'books' WHERE m.key = 'recall' AND m.eval_length IN (32768, 65536) ORDER BY 1, 2",
            in: directory
        ).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(runs.count == 4)
        let expected = runs.map { Double($0[2])! }.reduce(0, +) / 4
        let books = try #require(lines.first { $0.hasPrefix("books,") }).split(separator: ",")
        let header = lines[0].split(separator: ",")
        let recall = try #require(header.firstIndex(of: "Recall"))
        #expect(abs(Double(books[recall])! - expected) < 1e-9)
        let tokens = try #require(header.firstIndex(of: "Tokens"))
        #expect(Double(books[tokens]) == 81920)  // 10 steps x 8 x 1024
    }

    @Test func aPairedBootstrapTestsTheCollectedExamples() throws {
        let directory = try sweep()
        let yaml = """
            report: paired
            from: {sweep: collected}
            rows: {by: mix}
            columns:
              - {metric: rag, label: RAG}
              - {metric: cite, label: Cite}
              - {metric: hellaswag, label: HellaS.}
            aggregate: {over: [seed], lengths: [32768, 65536]}
            significance: {baseline: books, test: paired-bootstrap}
            """
        try yaml.write(to: directory.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        let report = try ablate(["report", "p.yaml", "--format", "csv"], in: directory)
        #expect(report.status == 0, "\(report.stderr)")
        let lines = report.stdout.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false)
        }
        let header = lines[0]
        let repos = try #require(lines.first { $0.first == "repos" })
        for label in ["RAG p", "HellaS. p"] {
            let index = try #require(header.firstIndex(of: Substring(label)), "\(header)")
            let p = try #require(Double(repos[index]), "\(label): \(repos[index])")
            #expect(p > 0 && p <= 1)
        }
        // ALCE is scored per dataset only: Cite has no examples to pair, and the report says so.
        #expect(report.stderr.contains("not tested by the paired bootstrap"), "\(report.stderr)")
        #expect(report.stderr.contains("'Cite'"))
    }

    @Test func jobsWithEquallyNamedFilesStayTwoRunsAndCollectionIsExactlyOnceAcrossSIGKILL() throws {
        let directory = try sweep()
        let recalls = try sql(
            "SELECT DISTINCT value FROM run_metrics WHERE key = 'recall' AND eval_length = 65536", in: directory)
        #expect(recalls.split(separator: "\n").count == 1 + 4)
        let census =
            "SELECT (SELECT COUNT(*) FROM job_values), (SELECT TOTAL(value) FROM job_values), (SELECT COUNT(*) FROM run_metrics), (SELECT COUNT(*) FROM collected_points), (SELECT COUNT(*) FROM collections)"
        let before = try sql(census, in: directory)
        // Kill `ablate collect` at random moments, then collect again: every value is there once.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<6 {
            let process = Process()
            process.executableURL = AblateProcess.binary
            process.arguments = ["collect", "collected"]
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...120_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try sql(census, in: directory) == before)
        }
        let again = try ablate(["collect", "collected"], in: directory)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasSuffix("8 job(s) collected\n"), "\(again.stdout)")
        #expect(try sql(census, in: directory) == before)
    }

    @Test func badResultFilesAreWarningsNamingThemAndTheJobStaysSucceeded() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let spec = """
            sweep: broken
            stages:
              eval:
                collect: [{helmet: helmet/}, {lm-eval: lm-eval/}]
                run: >-
                  cd {output} && mkdir -p helmet lm-eval/m &&
                  printf '{{"substring_exact_match": 5' > helmet/json_kv_v1_test_k440_dep6_in32768_size100_shots2_sampFalsemax100min0t0.0p1.0_chatFalse_42.json.score &&
                  printf '{{}}' > helmet/mystery_v1_x_in32768_size100_shots2_sampFalsemax100min0t0.0p1.0_chatFalse_42.json &&
                  printf '{{"results": [1, 2], "version": 0.3}}' > lm-eval/m/results_2024-10-01T12-00-00.json
            metrics:
              recall: {goal: max}
            """
        try spec.write(to: directory.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let run = try ablate(["run", "b.yaml"], in: directory)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let output = run.stdout + run.stderr
        #expect(
            output.contains(
                "json_kv_v1_test_k440_dep6_in32768_size100_shots2_sampFalsemax100min0t0.0p1.0_chatFalse_42.json.score: is not complete JSON"
            ), "\(output)")
        #expect(
            output.contains(
                "1 file(s) with a dataset HELMET's collect_results.py does not score left out, such as mystery_v1_x_in32768"
            ))
        #expect(
            output.contains(
                "results_2024-10-01T12-00-00.json: has no \"results\" object; is it an lm-evaluation-harness results file?"
            ))
        #expect(try sql("SELECT state FROM jobs", in: directory) == "state\nsucceeded\n")
        let missing = try ablate(["status", "--missing"], in: directory)
        #expect(missing.stdout.contains("  no value for: recall"), "\(missing.stdout)")
        #expect(missing.stdout.contains("helmet:helmet: "))
        #expect(missing.stdout.contains("lm-eval:lm-eval: "))
        // A folder with no results at all is a warning too.
        let empty = try AblateProcess.temporaryDirectory()
        let none =
            "sweep: none\nstages:\n  eval:\n    collect: [{helmet: helmet/}]\n    run: cd {output} && mkdir -p helmet\n"
        try none.write(to: empty.appendingPathComponent("n.yaml"), atomically: true, encoding: .utf8)
        let nothing = try ablate(["run", "n.yaml"], in: empty)
        #expect(nothing.status == 0)
        #expect(
            nothing.stdout.contains(
                "/helmet: no results found; expected HELMET eval.py result files such as json_kv_v1_..._in32768_..._42.json"
            ), "\(nothing.stdout)")
    }

    @Test func trainingLogsAreCollectedWhileTheJobRuns() throws {
        let directory = try AblateProcess.temporaryDirectory()
        let spec = """
            sweep: live
            stages:
              train:
                collect: [{hf-trainer: .}]
                run: >-
                  cd {output} && printf '{{"global_step": 3, "log_history": [{{"step": 1, "loss": 3}}, {{"step": 3, "loss": 2}}]}}'
                  > trainer_state.json && i=0; while [ ! -e "$GO" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done;
                  printf '{{"global_step": 4, "log_history": [{{"step": 1, "loss": 3}}, {{"step": 3, "loss": 2}}, {{"step": 4, "loss": 1.5}}]}}'
                  > trainer_state.json
            """
        try spec.write(to: directory.appendingPathComponent("l.yaml"), atomically: true, encoding: .utf8)
        let go = directory.appendingPathComponent("go")
        let process = Process()
        process.executableURL = AblateProcess.binary
        process.arguments = ["run", "l.yaml"]
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(["GO": go.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var live = ""
        for _ in 0..<150 {
            live = try sql(
                "SELECT COUNT(*) AS n, MAX(step) AS last FROM collected_points WHERE key = 'loss'", in: directory)
            if live == "n,last\n2,3\n" { break }
            usleep(100_000)
        }
        #expect(live == "n,last\n2,3\n")
        #expect(try sql("SELECT state FROM jobs", in: directory) == "state\nrunning\n")
        _ = FileManager.default.createFile(atPath: go.path, contents: nil)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(
            try sql("SELECT COUNT(*) AS n, MAX(step) AS last FROM collected_points WHERE key = 'loss'", in: directory)
                == "n,last\n3,4\n")
        #expect(try sql("SELECT value FROM run_metrics WHERE key = 'loss'", in: directory) == "value\n1.5\n")
    }
}
