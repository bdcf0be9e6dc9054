import AblateCore
import Foundation
import Testing

@testable import AblateReport

func spec(_ yaml: String) throws -> ReportSpec {
    try ReportSpecParser.parse(yaml: yaml, file: "r.yaml")
}

/// A ProLong-shaped ablation: long-data source x seed x eval length, HELMET categories and short tasks.
func ablationContext() -> ReportContext {
    var runs: [ReportRun] = []
    let sources = [("code_repos", 0.0), ("books", 4.0), ("both", 6.0), ("textbooks", -3.0)]
    for (source, offset) in sources {
        for seed in 1...3 {
            for length in [32768, 65536] {
                let noise = Double(seed) - 2
                let lengthPenalty = length == 65536 ? -5.0 : 0
                var metrics = [
                    "recall": 80 + offset + noise + lengthPenalty,
                    "rag": 55 + offset / 2 + noise / 2 + lengthPenalty,
                    "rerank": 20 + offset / 3 + lengthPenalty,
                    "icl": 70 - offset / 4 + noise,
                    "hellaswag": 80 - offset / 10,
                    "mmlu": 65 + noise / 10,
                ]
                if source == "textbooks" { metrics["rerank"] = nil }
                runs.append(
                    ReportRun(
                        id: "\(source)-\(seed)-\(length)",
                        params: [
                            "long_data": .string(source + "-data"), "seed": .int(Int64(seed)),
                            "eval_length": .int(Int64(length)),
                        ],
                        labels: ["long_data": source], metrics: metrics))
            }
        }
    }
    return ReportContext(
        runs: runs, valueOrder: ["long_data": ["code_repos", "books", "both", "textbooks"]],
        metrics: ["recall": MetricDeclaration(key: "recall", goal: .max, label: "Recall")])
}

let ablationSpec = """
    report: long-data
    title: "Long-data source (64K, 5B tokens)"
    caption: "HELMET at 32K and 64K; mean ± std over 3 seeds. Best in bold, second underlined. 100% = exact_match & #1"
    from: {sweep: long-data-source}
    rows:
      by: long_data
      labels: {both: "Code repos + Books", code_repos: "Code repos", books: Books, textbooks: Textbooks}
    columns:
      - group: Long-context
        columns:
          - {metric: recall, label: Recall}
          - {metric: rag, label: RAG}
          - {metric: rerank, label: Re-rank}
          - {metric: icl, label: ICL}
          - {mean: [Recall, RAG, Re-rank, ICL], label: Long Avg.}
      - group: Short
        columns:
          - {metric: hellaswag, label: HellaS.}
          - {metric: mmlu, label: MMLU}
          - {mean: [HellaS., MMLU], label: Short Avg.}
    aggregate: {over: [seed], average_over: [eval_length], show: mean±std}
    highlight: {best: bold, second: underline}
    """
