"""Writes configs/*_short.yaml for the HELMET stand-in: the datasets, test files, lengths and settings of
HELMET's *_short configs (8K, 16K, 32K and 64K), in the flat `key: comma,list` shape HELMET's
arguments.py reads, and an empty file for each test and demonstration file they name. Run it after changing the table below; the configs are committed."""

import os

LENGTHS = [8192, 16384, 32768, 65536]

# family -> (config, [(dataset per length, test file per length, generation length)]), settings
def per_length(name, test, gen):
    return [(name(length, i), test(length, i), gen) for i, length in enumerate(LENGTHS)]

K_RAG = [50, 105, 220, 440]
K_KV = [105, 220, 440, 900]
K_RERANK = [50, 130, 285, 600]

CONFIGS = {
    "recall_short": dict(shots=2, size=100, chat=False, rows=
        per_length(lambda L, i: "ruler_niah_mk_2", lambda L, i: f"data/ruler/niah_multikey_2/validation_{L}.jsonl", 50)
        + per_length(lambda L, i: "ruler_niah_mk_3", lambda L, i: f"data/ruler/niah_multikey_3/validation_{L}.jsonl", 100)
        + per_length(lambda L, i: "ruler_niah_mv", lambda L, i: f"data/ruler/niah_multivalue/validation_{L}.jsonl", 50)
        + per_length(lambda L, i: "json_kv", lambda L, i: f"data/json_kv/test_k{K_KV[i]}_dep6.jsonl", 100)),
    "rag_short": dict(shots=2, size=100, chat=False, rows=
        per_length(lambda L, i: "kilt_nq", lambda L, i: f"data/kilt/nq-dev-multikilt_1000_k{K_RAG[i]}_dep6.jsonl", 20)
        + per_length(lambda L, i: "kilt_triviaqa", lambda L, i: f"data/kilt/triviaqa-dev-multikilt_1000_k{K_RAG[i]}_dep6.jsonl", 20)
        + per_length(lambda L, i: "kilt_hotpotqa", lambda L, i: f"data/kilt/hotpotqa-dev-multikilt_1000_k{K_RAG[i]}_dep3.jsonl", 20)
        + per_length(lambda L, i: "kilt_popqa_3", lambda L, i: f"data/kilt/popqa_test_1000_k{K_RAG[i]}_dep6.jsonl", 20)),
    "rerank_short": dict(shots=2, size=100, chat=False, rows=
        per_length(lambda L, i: "msmarco_rerank_psg", lambda L, i: f"data/msmarco/test_reranking_data_k{K_RERANK[i]}_dep3.jsonl", 200)),
    "icl_short": dict(shots=0, size=500, chat=False, rows=
        per_length(lambda L, i: f"icl_trec_coarse_{[400, 800, 1600, 3300][i]}shot_balance", lambda L, i: "", 20)
        + per_length(lambda L, i: f"icl_trec_fine_{[400, 800, 1600, 3200][i]}shot_balance", lambda L, i: "", 20)
        + per_length(lambda L, i: f"icl_banking77_{[360, 720, 1450, 2900][i]}shot_balance", lambda L, i: "", 20)
        + per_length(lambda L, i: f"icl_clinic150_{[440, 880, 1750, 3525][i]}shot_balance", lambda L, i: "", 20)
        + per_length(lambda L, i: f"icl_nlu_{[510, 1020, 2040, 4080][i]}shot_balance", lambda L, i: "", 20)),
    "longqa_short": dict(shots=2, size=100, chat=True, rows=
        per_length(lambda L, i: f"narrativeqa_{[7892, 16084, 32468, 65236][i]}", lambda L, i: "", 100)
        + per_length(lambda L, i: f"infbench_qa_eng_{[7982, 16174, 32558, 65326][i]}", lambda L, i: "", 10)
        + per_length(lambda L, i: f"infbench_choice_eng_{[7982, 16174, 32558, 65326][i]}", lambda L, i: "", 10)),
    "summ_short": dict(shots=2, size=100, chat=True, rows=
        per_length(lambda L, i: f"infbench_sum_eng_{[6792, 14984, 31368, 64136][i]}", lambda L, i: "", 1200)
        + per_length(lambda L, i: f"multi_lexsum_{[7492, 15684, 32068, 64836][i]}", lambda L, i: "", 400)),
    "cite_short": dict(shots=2, size=100, chat=True, rows=
        per_length(lambda L, i: f"alce_asqa_{[30, 75, 165, 345][i]}", lambda L, i: "data/alce/asqa_eval_gtr_top2000.json", 300)
        + per_length(lambda L, i: f"alce_qampari_{[30, 75, 165, 345][i]}", lambda L, i: "data/alce/qampari_eval_gtr_top2000.json", 300)),
    "ruler_short": dict(shots=0, size=100, chat=False, rows=[
        row for task, folder, gen in [
            ("ruler_niah_s_1", "niah_single_1", 50), ("ruler_niah_s_2", "niah_single_2", 50),
            ("ruler_niah_s_3", "niah_single_3", 50), ("ruler_niah_mk_1", "niah_multikey_1", 50),
            ("ruler_niah_mk_2", "niah_multikey_2", 50), ("ruler_niah_mk_3", "niah_multikey_3", 100),
            ("ruler_niah_mq", "niah_multiquery", 100), ("ruler_niah_mv", "niah_multivalue", 50),
            ("ruler_cwe", "cwe", 100), ("ruler_fwe", "fwe", 50), ("ruler_vt", "vt", 50),
            ("ruler_qa_1", "qa_1", 50), ("ruler_qa_2", "qa_2", 50)]
        for row in per_length(lambda L, i, t=task: t, lambda L, i, f=folder: f"data/ruler/{f}/validation_{L}.jsonl", gen)]),
}


def demo_file(dataset):
    """The demonstrations file HELMET's configs give a dataset (empty where they give none)."""
    for prefix, demo in [
        ("kilt_nq", "data/kilt/nq-train-multikilt_1000_k3_dep6.jsonl"),
        ("kilt_triviaqa", "data/kilt/triviaqa-train-multikilt_1000_k3_dep6.jsonl"),
        ("kilt_hotpotqa", "data/kilt/hotpotqa-train-multikilt_1000_k3_dep3.jsonl"),
        ("kilt_popqa", "data/kilt/popqa_test_1000_k3_dep6.jsonl"),
        ("msmarco_rerank_psg", "data/msmarco/test_reranking_data_k10_dep3.jsonl"),
        ("alce_asqa", "prompts/asqa_revised.json"),
        ("alce_qampari", "prompts/qampari_revised.json"),
    ]:
        if dataset.startswith(prefix):
            return demo
    return ""


def main():
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs")
    os.makedirs(here, exist_ok=True)
    for name, config in CONFIGS.items():
        rows = config["rows"]
        lengths = [str(LENGTHS[i % 4]) for i in range(len(rows))]
        lines = [
            "input_max_length: " + ",".join(lengths),
            "datasets: " + ",".join(r[0] for r in rows),
            "generation_max_length: " + ",".join(str(r[2]) for r in rows),
            "test_files: " + ",".join(r[1] for r in rows),
            "demo_files: " + ",".join(demo_file(r[0]) for r in rows),
            "use_chat_template: " + ("true" if config["chat"] else "false"),
            "max_test_samples: " + str(config["size"]),
            "shots: " + str(config["shots"]),
        ]
        with open(os.path.join(here, name + ".yaml"), "w") as f:
            f.write("# HELMET stand-in config, written by make_configs.py\n" + "\n".join(lines) + "\n")
        # The data files, where scripts/download_data.sh puts HELMET's (eval.py reads them relative to
        # the checkout and skips a dataset whose files are missing); empty here.
        for path in {r[1] for r in rows} | {demo_file(r[0]) for r in rows}:
            if path:
                target = os.path.join(os.path.dirname(here), path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                open(target, "a").close()


if __name__ == "__main__":
    main()
