import AblateCore
import AblateStore
import Foundation

/// Imports lm-evaluation-harness `results*.json` files: HellaSwag (acc_norm), MMLU (acc), ARC-Challenge
/// (acc_norm), WinoGrande (acc) and GSM8K (exact match, strict), as 0-100 scores.
public enum LMEvalImporter {
    static let tasks: [(task: String, metrics: [String])] = [
        ("hellaswag", ["acc_norm,none", "acc_norm"]),
        ("mmlu", ["acc,none", "acc"]),
        ("arc_challenge", ["acc_norm,none", "acc_norm"]),
        ("winogrande", ["acc,none", "acc"]),
        ("gsm8k", ["exact_match,strict-match", "exact_match,flexible-extract", "exact_match"]),
    ]

    /// The run in one results file; the model is `pretrained=` from `config.model_args`, else the
    /// file's directory name.
    public static func run(in url: URL) throws -> ExternalRun {
        guard let data = FileManager.default.contents(atPath: url.path),
            case .object(let object)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self))
        else { throw ImportError.malformed(url.path, line: nil, reason: "not a JSON object") }
        guard case .object(let results)? = object["results"] else {
            throw ImportError.malformed(
                url.path, line: nil, reason: "no \"results\"; is this an lm-evaluation-harness results file?")
        }
        var metrics: [String: Double] = [:]
        for (task, names) in tasks {
            guard case .object(let values)? = results[task] else { continue }
            if let value = names.lazy.compactMap({ values[$0]?.numberValue }).first { metrics[task] = value * 100 }
        }
        guard !metrics.isEmpty else {
            throw ImportError.empty(
                url.path, expected: "results for hellaswag, mmlu, arc_challenge, winogrande or gsm8k")
        }
        var model = url.deletingLastPathComponent().lastPathComponent
        if case .object(let config)? = object["config"], let arguments = config["model_args"]?.stringValue {
            for part in arguments.split(separator: ",") where part.hasPrefix("pretrained=") {
                model = String(part.dropFirst("pretrained=".count))
            }
        }
        return ExternalRun(params: ["model": .string(model)], metrics: metrics)
    }
}
