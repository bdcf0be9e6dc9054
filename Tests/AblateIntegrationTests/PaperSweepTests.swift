import AblateExecution
import AblateTestSupport
import Foundation
import Testing

/// The paper's sweeps, exactly as sweeps/ holds them, run with `ablate run --gpus 8` against stand-ins for
/// ProLong's launch scripts, torchrun, HELMET's eval.py and GPT-4o judge, and lm-eval (each written from
/// the facts of the real tool's interface: what it reads and ignores, where it writes, how it fails):
/// every command trains or evaluates the configuration its job names, in its own directory.
@Suite(.enabled(if: TestTools.python, "needs python3 for the stand-ins"), .serialized)
struct PaperSweepTests {
    static let root = AblateProcess.packageRoot

    /// The paper sweeps (mini-prolong and mini-prolong-ablations are the demo's, on the bundled trainer).
    static let sweeps = try! FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("sweeps").path)
        .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("mini-prolong") }.sorted()

    /// A directory with a ProLong checkout, `bin/` (`python` and `lm_eval` for the stand-ins), and the
    /// environment the sweeps' comments ask for.
    static func workspace() throws -> (URL, [String: String]) {
        let directory = try AblateProcess.temporaryDirectory()
        let prolong = try ProLongStandIn.checkout(in: directory, extra: ProLongStandIn.handPacked)
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let lmEval = root.appendingPathComponent("scripts/standins/lm-eval/lm_eval.py").path
        for (name, body) in [("python", "exec python3 \"$@\""), ("lm_eval", "exec python3 '\(lmEval)' \"$@\"")] {
            let url = bin.appendingPathComponent(name)
            try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        }
        let path = [bin.path, ProLongStandIn.bin.path, ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        return (
            directory,
            [
                "PATH": path.joined(separator: ":"), "PROLONG_DIR": prolong.path,
                "HELMET_DIR": HELMETStandIn.directory.path, "OPENAI_API_KEY": "stand-in",
            ]
        )
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// `(stage, output_dir)` of every job.
    static func jobs(in directory: URL, environment: [String: String]) throws -> [(stage: String, dir: String)] {
        let rows = try AblateProcess.run(
            ["sql", "SELECT stage, output_dir FROM jobs ORDER BY stage, key", "--format", "csv"], in: directory,
            environment: environment
        ).stdout.split(separator: "\n").dropFirst()
        return rows.map { row in
            let parts = row.split(separator: ",", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        }
    }

    @Test func theSweepsAreWhatTheirGeneratorWrites() throws {
        let result = try ProcessRunner().run(
            "python3", [Self.root.appendingPathComponent("scripts/paper_sweeps.py").path, "--check"])
        #expect(result.status == 0, "\(result.error)")
    }

    @Test func everyStageOfEverySweepRunsTheIntendedConfigurationInItsOwnDirectory() throws {
        let (directory, environment) = try Self.workspace()
        for sweep in Self.sweeps {
            let spec = Self.root.appendingPathComponent("sweeps/\(sweep)").path
            let result = try AblateProcess.run(
                ["run", spec, "--gpus", "8", "--cpus", "64"], in: directory, environment: environment)
            #expect(result.status == 0, "\(sweep): \(result.stdout.suffix(3000))\(result.stderr)")
        }
        let prolong = try #require(environment["PROLONG_DIR"])
        let jobs = try Self.jobs(in: directory, environment: environment)
        #expect(Set(jobs.map(\.dir)).count == jobs.count)
        var trainedInto: [String] = []
        for job in jobs {
            let config = try Self.json(job.dir + "/.ablate/config.json")
            let params = try #require(config["params"] as? [String: Any])
            let inputs = config["inputs"] as? [String: String] ?? [:]
            switch job.stage {
            case "pretrain", "extend", "sft":
                let arguments = try Self.json(job.dir + "/standin-arguments.json")
                #expect(arguments["output_dir"] as? String == job.dir, "\(job.stage) trains into its own directory")
                trainedInto.append(try #require(arguments["output_dir"] as? String))
                let log = try FileManager.default.subpathsOfDirectory(atPath: job.dir + "/checkpoints")
                #expect(log.contains { $0.hasSuffix("/log.out") }, "the script's log.out is the job's")
                let streams = try #require(arguments["tokenized_mds_train"] as? [String])
                let (root, mix): (String, [String])
                switch job.stage {
                case "pretrain":
                    root = "datasets/long-context-65536"
                    mix = ["long_data", "short_data"].flatMap { (params[$0] as? String ?? "").split(separator: " ") }
                        .map(String.init)
                    #expect(arguments["config_overrides"] as? String == "rope_theta=\(params["rope_theta"]!)")
                    #expect((arguments["single_seq"] as? Bool ?? false) == (params["doc_mask"] as? String == "false"))
                    #expect(arguments["max_steps"] as? String == "\(params["steps"]!)")
                    #expect(arguments["start_step"] as? Int == 0)
                case "extend":
                    root = try #require(params["ext_data"] as? String)
                    mix = ["ext_long_data", "ext_short_data"].flatMap {
                        (params[$0] as? String ?? "").split(separator: " ")
                    }.map(String.init)
                    // From the 64K job's final model with a fresh schedule and its last optimizer state.
                    #expect(arguments["resumed_from"] as? String == job.dir + "/init")
                    #expect(arguments["start_step"] as? Int == 0)
                    #expect(arguments["optimizer_loaded"] as? Bool == true)
                    #expect(arguments["model_name"] as? String == inputs["pretrain"])
                    let long = params["train_length"] as? Int == 524_288
                    #expect(arguments["seq_parallel_size"] as? String == (long ? "8" : nil))
                    #expect(arguments["per_device_max_tokens"] as? String == (long ? "524288" : "65536"))
                    #expect(arguments["config_overrides"] as? String == "rope_theta=\(params["ext_rope_theta"]!)")
                default:
                    root = "datasets"
                    mix = (params["sft_data"] as? String ?? "").split(separator: " ").map(String.init)
                    #expect(arguments["model_name"] as? String == (inputs["pretrain"] ?? inputs["extend"]))
                    #expect(arguments["apply_instruct_masks"] as? Bool == true)
                }
                #expect(streams == mix.map { "\(prolong)/\(root)/\($0)" }, "\(job.stage) trains the mix it names")
            case let stage where stage.hasPrefix("eval_"):
                let files = try FileManager.default.contentsOfDirectory(atPath: job.dir + "/helmet")
                #expect(!files.isEmpty && files.allSatisfy { $0.contains("_in32768_") || $0.contains("_in65536_") })
                let saved = try Self.json(job.dir + "/helmet/" + files.first { $0.hasSuffix("_42.json") }!)
                let args = try #require(saved["args"] as? [String: Any])
                #expect(args["model_name_or_path"] as? String == inputs["sft"], "HELMET evaluates the SFT model")
                #expect(args["config"] as? String == "configs/\(stage.dropFirst(5))_short.yaml")
            case "judge":
                let files = try FileManager.default.contentsOfDirectory(atPath: job.dir + "/output/helmet")
                #expect(files.filter { $0.hasSuffix("-gpt4eval_o.json") }.count == 6)
            case "short_eval":
                let model = try #require(inputs["pretrain"] ?? inputs["extend"])
                let folder = job.dir + "/lm-eval"
                let results = try #require(
                    try FileManager.default.subpathsOfDirectory(atPath: folder).first { $0.contains("results_") })
                let saved = try Self.json(folder + "/" + results)
                let modelArgs = try #require((saved["config"] as? [String: Any])?["model_args"] as? [String: Any])
                #expect(modelArgs["pretrained"] as? String == model, "short tasks run on the pre-SFT checkpoint")
            default:
                #expect(job.stage == "helmet")
            }
        }
        #expect(Set(trainedInto).count == trainedInto.count, "no two trainings share an output directory")
        // Every run has every category at both lengths, and the short tasks.
        let counts = try AblateProcess.run(
            [
                "sql",
                """
                SELECT COUNT(DISTINCT run_id || key || eval_length) AS n FROM run_metrics
                WHERE key IN ('recall', 'rag', 'rerank', 'icl', 'longqa', 'summ', 'helmet_avg')
                AND eval_length IN (32768, 65536) AND value IS NOT NULL
                """, "--format", "csv",
            ], in: directory, environment: environment
        ).stdout
        let runs = try AblateProcess.run(
            ["sql", "SELECT COUNT(*) AS n FROM runs", "--format", "csv"], in: directory, environment: environment
        ).stdout
        let runCount = try #require(Int(runs.split(separator: "\n").last ?? ""))
        #expect(counts == "n\n\(runCount * 7 * 2)\n")
        for sweep in Self.sweeps {
            let missing = try AblateProcess.run(
                ["status", String(sweep.dropLast(5)), "--missing"], in: directory, environment: environment)
            #expect(missing.stdout.contains("every succeeded run has every declared metric"), "\(missing.stdout)")
        }
    }

    @Test func planWithoutTheCheckoutNamesWhatIsMissingAndExits2() throws {
        var (directory, environment) = try Self.workspace()
        let spec = Self.root.appendingPathComponent("sweeps/long-data-source.yaml").path
        environment["PROLONG_DIR"] = nil
        var result = try AblateProcess.run(["plan", spec], in: directory, environment: environment)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "error: stage 'pretrain' requires the environment variable PROLONG_DIR, which is not set"),
            "\(result.stderr)")
        #expect(!result.stdout.contains("runs"), "nothing is planned")
        // A checkout that lacks a script the sweep calls.
        let (other, withCheckout) = try Self.workspace()
        let prolong = try #require(withCheckout["PROLONG_DIR"])
        try FileManager.default.removeItem(atPath: prolong + "/train_sft.sh")
        result = try AblateProcess.run(["run", spec], in: other, environment: withCheckout)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "error: stage 'sft' requires '$PROLONG_DIR/train_sft.sh' ('\(prolong)/train_sft.sh'), which does not exist"
            ), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other.appendingPathComponent(".ablate/jobs").path))
    }
}
