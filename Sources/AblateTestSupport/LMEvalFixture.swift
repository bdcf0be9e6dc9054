import AblateCore
import Foundation

/// lm-evaluation-harness results files as the harness writes them, in the current shape (v0.4.10 and
/// later: `model_args` a dict, `lm_eval_version`, plain aliases, `name`/`sample_len`) and in the v0.4.5
/// shape (`model_args` a string, indented aliases, `start_time`/`end_time`), under
/// `OUT/<sanitized model>/results_<timestamp>.json`, with `samples_<task>_<timestamp>.jsonl` beside them.
public enum LMEvalFixture {
    /// Which harness version's file shape.
    public enum Shape: Sendable {
        /// v0.4.10 and later.
        case current
        /// v0.4.5.
        case v045
    }

    /// The paper's tasks with their metrics, as (task, metric → value).
    public static func paperResults(
        _ base: Double, shape: Shape
    ) -> (results: [String: ParamValue], groups: [String: ParamValue]) {
        func entry(_ task: String, alias: String, _ metrics: [String: Double]) -> ParamValue {
            var object: [String: ParamValue] = ["alias": .string(alias)]
            if shape == .current {
                object["name"] = .string(task)
                object["sample_len"] = .int(100)
            }
            for (key, value) in metrics {
                object[key] = .double(value)
                let parts = key.split(separator: ",")
                object["\(parts[0])_stderr,\(parts[1])"] = .double(0.01)
            }
            return .object(object)
        }
        var results: [String: ParamValue] = [
            "hellaswag": entry("hellaswag", alias: "hellaswag", ["acc,none": base, "acc_norm,none": base + 0.05]),
            "arc_challenge": entry(
                "arc_challenge", alias: "arc_challenge", ["acc,none": base - 0.1, "acc_norm,none": base - 0.05]),
            "winogrande": entry("winogrande", alias: "winogrande", ["acc,none": base + 0.1]),
            "gsm8k": entry(
                "gsm8k", alias: "gsm8k",
                ["exact_match,strict-match": base - 0.2, "exact_match,flexible-extract": base - 0.15]),
        ]
        let mmlu = entry("mmlu", alias: "mmlu", ["acc,none": base + 0.02])
        results["mmlu"] = mmlu
        for (subject, depth) in [("mmlu_stem", 1), ("mmlu_abstract_algebra", 2)] {
            let alias = String(subject.dropFirst(5))
            let shown = shape == .v045 ? String(repeating: " ", count: depth) + "- " + alias : alias
            results[subject] = entry(subject, alias: shown, ["acc,none": base])
        }
        return (results, ["mmlu": mmlu, "mmlu_stem": results["mmlu_stem"]!])
    }

    /// Writes one results file; returns it.
    @discardableResult
    public static func write(
        into output: URL, model: String, stamp: String, shape: Shape, results: [String: ParamValue],
        groups: [String: ParamValue] = [:], limit: Double? = nil, nShot: Int = 0
    ) throws -> URL {
        let sanitized = model.replacingOccurrences(of: "/", with: "__")
        let folder = output.appendingPathComponent(sanitized)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config: [String: ParamValue] = [
            "model": "hf", "batch_size": "auto", "device": "cpu", "limit": limit.map(ParamValue.double) ?? .null,
            "bootstrap_iters": .int(100000), "random_seed": .int(0), "fewshot_seed": .int(1234),
        ]
        config["model_args"] =
            shape == .current
            ? .object(["pretrained": .string(model), "dtype": "bfloat16"])
            : .string("pretrained=\(model),dtype=bfloat16")
        var object: [String: ParamValue] = [
            "results": .object(results),
            "group_subtasks": .object(["mmlu": .array(["mmlu_stem"]), "mmlu_stem": .array(["mmlu_abstract_algebra"])]),
            "configs": .object([:]), "versions": .object(["hellaswag": .double(1)]),
            "n-shot": .object(
                Dictionary(uniqueKeysWithValues: results.keys.map { ($0, ParamValue.int(Int64(nShot))) })),
            "config": .object(config), "git_hash": "4e7e0d4", "date": .double(1_796_127_356.48),
            "transformers_version": "4.44.2", "model_name": .string(model), "model_name_sanitized": .string(sanitized),
            "total_evaluation_time_seconds": "7.4",
        ]
        if !groups.isEmpty { object["groups"] = .object(groups) }
        switch shape {
        case .current: object["lm_eval_version"] = "0.4.13"
        case .v045:
            object["start_time"] = .double(12.5)
            object["end_time"] = .double(20.1)
        }
        let url = folder.appendingPathComponent("results_\(stamp).json")
        try Data(ParamValue.object(object).canonicalJSON.utf8).write(to: url)
        return url
    }

    /// Writes `samples_<task>_<stamp>.jsonl` with the given per-document scores of `metric` under
    /// `filter` (current shape: a `filter` key per line; v0.4.5: one line per document per filter, the
    /// filters in order, no `filter` key).
    public static func writeSamples(
        beside results: URL, task: String, stamp: String, metric: String, scores: [Double], filters: [String],
        shape: Shape
    ) throws {
        var lines: [String] = []
        for (index, filter) in filters.enumerated() {
            for (doc, score) in scores.enumerated() {
                var line: [String: ParamValue] = [
                    "doc_id": .int(Int64(doc)), "doc": .object(["q": .string("question \(doc)")]), "target": "0",
                    "resps": .array([.array(["-1.5", "False"])]), "filtered_resps": .array(["-1.5", "False"]),
                    metric: .double(index == 0 ? score : 1 - score),
                ]
                if shape == .current {
                    line["filter"] = .string(filter)
                    line["metrics"] = .array([.string(metric)])
                }
                lines.append(ParamValue.object(line).canonicalJSON)
            }
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(
            to: results.deletingLastPathComponent().appendingPathComponent("samples_\(task)_\(stamp).jsonl"))
    }
}

extension ParamValue: ExpressibleByStringLiteral {
    /// A string value, for fixtures written as literals.
    public init(stringLiteral value: String) { self = .string(value) }
}
