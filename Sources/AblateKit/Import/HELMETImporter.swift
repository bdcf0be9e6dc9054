import AblateCore
import AblateStore
import Foundation

/// Imports a HELMET output directory: one external run per model directory and input length, with the
/// paper's category scores (0-100) and each dataset's score.
///
/// Files are `{dataset}_{tag}_{test}_in{length}_size{n}_shots{k}_samp..._chat{bool}_{seed}.json` with
/// `averaged_metrics` (already x100); a sibling `.json.score` holds only `averaged_metrics`, and a
/// `-gpt4eval_o.json` adds `gpt-4-score` (QA, 0-3, rescaled x100/3) or `gpt-4-f1` (Summ., 0-1, x100; older
/// versions spell it `gpt4-f1`). The GPT-4 file is preferred, then `.score`, then the main file.
public enum HELMETImporter {
    /// The metric each dataset is scored by, and the category it counts towards.
    static let datasets: [(name: String, metric: String, category: String)] = [
        ("json_kv", "substring_exact_match", "recall"),
        ("nq", "substring_exact_match", "rag"), ("hotpotqa", "substring_exact_match", "rag"),
        ("popqa", "substring_exact_match", "rag"),
        ("msmarco_rerank_psg", "NDCG@10", "rerank"),
        ("trec_coarse", "exact_match", "icl"), ("trec_fine", "exact_match", "icl"), ("banking77", "exact_match", "icl"),
        ("clinic150", "exact_match", "icl"), ("nlu", "exact_match", "icl"),
        ("narrativeqa", "gpt-4-score", "qa"),
        ("multi_lexsum", "gpt-4-f1", "summ"),
    ]

    /// The runs found under `directory` (searched recursively), as `model` x `eval_length` points.
    public static func runs(in directory: URL) throws -> [ExternalRun] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw ImportError.empty(directory.path, expected: "a HELMET output directory")
        }
        // (model, length) -> dataset -> score
        var scores: [String: [Int: [String: Double]]] = [:]
        for case let url as URL in enumerator {
            let name = url.lastPathComponent
            guard name.hasSuffix(".json"), !name.hasSuffix("-gpt4eval_o.json") else { continue }
            guard let dataset = datasets.first(where: { name.hasPrefix($0.name + "_") }),
                let length = inputLength(name)
            else { continue }
            let model = url.deletingLastPathComponent().lastPathComponent
            guard let score = try score(of: url, metric: dataset.metric) else { continue }
            scores[model, default: [:]][length, default: [:]][dataset.name] = score
        }
        var runs: [ExternalRun] = []
        for (model, lengths) in scores.sorted(by: { $0.key < $1.key }) {
            for (length, values) in lengths.sorted(by: { $0.key < $1.key }) {
                var metrics: [String: Double] = [:]
                for (dataset, value) in values { metrics["helmet." + dataset] = value }
                for category in ["recall", "rag", "rerank", "icl", "qa", "summ"] {
                    let members = datasets.filter { $0.category == category }.compactMap { values[$0.name] }
                    if !members.isEmpty { metrics[category] = members.reduce(0, +) / Double(members.count) }
                }
                runs.append(
                    ExternalRun(
                        params: ["model": .string(model), "eval_length": .int(Int64(length))], metrics: metrics))
            }
        }
        guard !runs.isEmpty else {
            throw ImportError.empty(
                directory.path, expected: "HELMET result files such as json_kv_..._in32768_..._42.json")
        }
        return runs
    }

    static func inputLength(_ name: String) -> Int? {
        guard let range = name.range(of: "_in") else { return nil }
        let digits = name[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    /// The dataset's score in 0-100, from the best available file.
    static func score(of url: URL, metric: String) throws -> Double? {
        let base = url.deletingPathExtension().path
        if metric.hasPrefix("gpt-4"), let gpt = object(URL(fileURLWithPath: base + "-gpt4eval_o.json")) {
            var averaged: [String: ParamValue] = [:]
            if case .object(let members)? = gpt["averaged_metrics"] { averaged = members }
            let aliases = metric == "gpt-4-f1" ? ["gpt-4-f1", "gpt4-f1"] : [metric]
            for alias in aliases {
                if let value = averaged[alias]?.numberValue ?? gpt[alias]?.numberValue {
                    return metric == "gpt-4-score" ? value * 100 / 3 : value * 100
                }
            }
        }
        for candidate in [URL(fileURLWithPath: url.path + ".score"), url] {
            guard let object = object(candidate), case .object(let averaged)? = object["averaged_metrics"] else {
                continue
            }
            if let value = averaged[metric]?.numberValue { return value }
        }
        return nil
    }

    static func object(_ url: URL) -> [String: ParamValue]? {
        guard let data = FileManager.default.contents(atPath: url.path),
            case .object(let object)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self))
        else { return nil }
        return object
    }
}
