import AblateExecution
import Foundation

/// Runs the HELMET stand-in (`scripts/standins/helmet`: eval.py and the GPT-4 judge scripts, written from
/// HELMET's interface) to produce result files exactly as HELMET names and shapes them, for tests and
/// benchmarks on machines without a GPU.
public enum HELMETStandIn {
    /// The stand-in checkout (what `$HELMET_DIR` points to in tests), with empty data files where HELMET's
    /// `scripts/download_data.sh` puts the real ones: eval.py runs from it, as from a HELMET checkout.
    public static let directory = AblateProcess.packageRoot.appendingPathComponent("scripts/standins/helmet")

    /// The configs HELMET's paper categories come from (every `*_short.yaml` the stand-in has).
    public static let configs = ["recall", "rag", "rerank", "icl", "longqa", "summ", "cite", "ruler"]

    /// Runs eval.py for every config with `--tag TAG --seed SEED`, writing `work/output/MODEL/`, then the
    /// GPT-4 judge scripts for MODEL; returns the folder. `model` also fixes the pseudo-random scores.
    @discardableResult
    public static func evaluate(
        model: String, in work: URL, tag: String = "v1", seed: Int = 42, configs: [String] = configs,
        judge: Bool = true
    ) throws -> URL {
        let output = work.appendingPathComponent("output").appendingPathComponent(model)
        for config in configs {
            try python(
                "eval.py",
                [
                    "--config", directory.appendingPathComponent("configs/\(config)_short.yaml").path,
                    "--model_name_or_path", "/models/\(model)", "--tag", tag, "--seed", "\(seed)", "--output_dir",
                    output.path,
                ], in: directory)
        }
        if judge {
            for script in ["scripts/eval_gpt4_longqa.py", "scripts/eval_gpt4_summ.py"] {
                try python(script, ["--model_to_check", model, "--tag", tag], in: work)
            }
        }
        return output
    }

    private static func python(_ script: String, _ arguments: [String], in work: URL) throws {
        // The judge scripts need an OpenAI key, as HELMET's do; the stand-in never sends anything.
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_API_KEY"] = environment["OPENAI_API_KEY"] ?? "stand-in"
        let result = try ProcessRunner().run(
            "python3", [directory.appendingPathComponent(script).path] + arguments, in: work, environment: environment)
        guard result.status == 0 else {
            throw NSError(
                domain: "HELMETStandIn", code: Int(result.status),
                userInfo: [NSLocalizedDescriptionKey: "\(script) failed: \(result.error)"])
        }
    }

    /// HELMET's collection logic in Python (`scripts/bench/helmet_collect_baseline.py`) over `folders`:
    /// per folder, per length, every dataset column ("nq substring_exact_match") and category.
    public static func baseline(_ folders: [URL], lengths: [Int]) throws -> [String: [String: [String: Double]]] {
        let script = AblateProcess.packageRoot.appendingPathComponent("scripts/bench/helmet_collect_baseline.py")
        let result = try ProcessRunner().run(
            "python3",
            [script.path, directory.appendingPathComponent("configs").path] + folders.map(\.path) + [
                "--lengths", lengths.map(String.init).joined(separator: ","), "--json",
            ])
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
                as? [String: [String: [String: Double]]]
        else {
            throw NSError(
                domain: "HELMETStandIn", code: Int(result.status),
                userInfo: [NSLocalizedDescriptionKey: "the baseline failed: \(result.error)"])
        }
        return object
    }
}
