/// HELMET's scoring of its datasets, as `scripts/collect_results.py` defines it: which metrics score a
/// dataset (found by the first table key that is a substring of the dataset's name), how the GPT-4
/// judge's scores are rescaled, and which dataset metrics each category averages.
public enum HELMETScoring {
    /// The dataset table, in collect_results.py's order (the order decides substring matches).
    public static let datasets: [(key: String, metrics: [String])] = [
        ("json_kv", ["substring_exact_match"]),
        ("nq", ["substring_exact_match"]),
        ("popqa", ["substring_exact_match"]),
        ("triviaqa", ["substring_exact_match"]),
        ("hotpotqa", ["substring_exact_match"]),
        ("narrativeqa", ["gpt-4-score"]),
        ("msmarco_rerank_psg", ["NDCG@10"]),
        ("trec_coarse", ["exact_match"]),
        ("trec_fine", ["exact_match"]),
        ("banking77", ["exact_match"]),
        ("clinic150", ["exact_match"]),
        ("nlu", ["exact_match"]),
        ("qmsum", ["rougeL_recall"]),
        ("multi_lexsum", ["gpt-4-f1"]),
        ("ruler_niah_s_1", ["ruler_recall"]),
        ("ruler_niah_s_2", ["ruler_recall"]),
        ("ruler_niah_s_3", ["ruler_recall"]),
        ("ruler_niah_mk_1", ["ruler_recall"]),
        ("ruler_niah_mk_2", ["ruler_recall"]),
        ("ruler_niah_mk_3", ["ruler_recall"]),
        ("ruler_niah_mq", ["ruler_recall"]),
        ("ruler_niah_mv", ["ruler_recall"]),
        ("ruler_fwe", ["ruler_recall"]),
        ("ruler_cwe", ["ruler_recall"]),
        ("ruler_vt", ["ruler_recall"]),
        ("ruler_qa_1", ["substring_exact_match"]),
        ("ruler_qa_2", ["substring_exact_match"]),
        ("infbench_qa", ["rougeL_f1"]),
        ("infbench_choice", ["exact_match"]),
        ("infbench_sum", ["gpt-4-f1"]),
        ("alce_asqa", ["str_em", "citation_rec", "citation_prec"]),
        ("alce_qampari", ["qampari_rec_top5", "citation_rec", "citation_prec"]),
    ]

    /// The categories, in collect_results.py's order, with the Ablate metric key each is recorded as and
    /// the `(dataset key, metric)` columns it averages (a NaN-skipping mean, per input length).
    public static let categories: [(key: String, label: String, columns: [(dataset: String, metric: String)])] = [
        (
            "recall", "Recall",
            [
                ("json_kv", "substring_exact_match"), ("ruler_niah_mk_2", "ruler_recall"),
                ("ruler_niah_mk_3", "ruler_recall"), ("ruler_niah_mv", "ruler_recall"),
            ]
        ),
        (
            "rag", "RAG",
            [
                ("nq", "substring_exact_match"), ("hotpotqa", "substring_exact_match"),
                ("popqa", "substring_exact_match"), ("triviaqa", "substring_exact_match"),
            ]
        ),
        (
            "icl", "ICL",
            [
                ("trec_coarse", "exact_match"), ("trec_fine", "exact_match"), ("banking77", "exact_match"),
                ("clinic150", "exact_match"), ("nlu", "exact_match"),
            ]
        ),
        (
            "cite", "Cite",
            [
                ("alce_asqa", "str_em"), ("alce_asqa", "citation_rec"), ("alce_asqa", "citation_prec"),
                ("alce_qampari", "qampari_rec_top5"), ("alce_qampari", "citation_rec"),
                ("alce_qampari", "citation_prec"),
            ]
        ),
        ("rerank", "Re-rank", [("msmarco_rerank_psg", "NDCG@10")]),
        (
            "longqa", "LongQA",
            [("narrativeqa", "gpt-4-score"), ("infbench_qa", "rougeL_f1"), ("infbench_choice", "exact_match")]
        ),
        ("summ", "Summ", [("infbench_sum", "gpt-4-f1"), ("multi_lexsum", "gpt-4-f1")]),
    ]

    /// The key of the mean of the seven categories (collect_results.py's `Ours`).
    public static let averageKey = "helmet_avg"

    /// The table entry of a dataset: the first key that is a substring of its name.
    public static func entry(of dataset: String) -> (key: String, metrics: [String])? {
        datasets.first { dataset.contains($0.key) }
    }

    /// A metric's value on the 0–100 scale: the GPT-4 judge's F1 (0–1) ×100, its score (0–3) ×100/3; the
    /// rest are already ×100.
    public static func rescaled(_ value: Double, metric: String) -> Double {
        switch metric {
        case "gpt-4-f1": value * 100
        case "gpt-4-score": value * 100 / 3
        default: value
        }
    }

    /// Other spellings a metric has had in HELMET's files (the first GPT-4 summarization script wrote
    /// `gpt4-f1`).
    public static func spellings(of metric: String) -> [String] {
        metric == "gpt-4-f1" ? ["gpt-4-f1", "gpt4-f1"] : [metric]
    }

    /// The Ablate key of one dataset's metric: `helmet.nq.substring_exact_match`.
    public static func key(dataset: String, metric: String) -> String { "helmet.\(dataset).\(metric)" }

    /// The default `shots` of each dataset family in HELMET's configs (ICL and RULER run with 0 shots;
    /// the RULER tasks that the recall config also runs have both).
    public static func configShots(of datasetKey: String) -> Set<Int> {
        switch datasetKey {
        case "trec_coarse", "trec_fine", "banking77", "clinic150", "nlu": [0]
        case "ruler_niah_mk_2", "ruler_niah_mk_3", "ruler_niah_mv": [0, 2]
        case _ where datasetKey.hasPrefix("ruler_"): [0]
        default: [2]
        }
    }
}
