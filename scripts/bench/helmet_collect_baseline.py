"""The baseline for `ablate-bench collect` and the oracle of the HELMET collector's golden tests: HELMET's
scripts/collect_results.py logic, re-implemented from its description (docs/performance.md) with the
standard library only. For each folder given, it builds the path of every dataset of the configs at every
length exactly as eval.py names it (tag v1, seed 42, the config's shots, size and chat flag), picks the
GPT-4 judge's file, then .json.score, then .json, reads the dataset's metrics (rescaling gpt-4-score x100/3
and gpt-4-f1 x100), averages duplicates, and computes the categories as NaN-skipping means per length.

    python3 helmet_collect_baseline.py CONFIG_DIR FOLDER... [--lengths 32768,65536] [--json | --time]

With --time the last line is {"seconds": S, "values": N}: the time to collect every folder, in process.
"""

import json
import math
import os
import sys
import time

TABLE = [
    ("json_kv", ["substring_exact_match"]), ("nq", ["substring_exact_match"]),
    ("popqa", ["substring_exact_match"]), ("triviaqa", ["substring_exact_match"]),
    ("hotpotqa", ["substring_exact_match"]), ("narrativeqa", ["gpt-4-score"]),
    ("msmarco_rerank_psg", ["NDCG@10"]), ("trec_coarse", ["exact_match"]), ("trec_fine", ["exact_match"]),
    ("banking77", ["exact_match"]), ("clinic150", ["exact_match"]), ("nlu", ["exact_match"]),
    ("qmsum", ["rougeL_recall"]), ("multi_lexsum", ["gpt-4-f1"]),
] + [(t, ["ruler_recall"]) for t in (
    "ruler_niah_s_1", "ruler_niah_s_2", "ruler_niah_s_3", "ruler_niah_mk_1", "ruler_niah_mk_2", "ruler_niah_mk_3",
    "ruler_niah_mq", "ruler_niah_mv", "ruler_fwe", "ruler_cwe", "ruler_vt")] + [
    ("ruler_qa_1", ["substring_exact_match"]), ("ruler_qa_2", ["substring_exact_match"]),
    ("infbench_qa", ["rougeL_f1"]), ("infbench_choice", ["exact_match"]), ("infbench_sum", ["gpt-4-f1"]),
    ("alce_asqa", ["str_em", "citation_rec", "citation_prec"]),
    ("alce_qampari", ["qampari_rec_top5", "citation_rec", "citation_prec"]),
]

CATEGORIES = [
    ("recall", ["json_kv substring_exact_match", "ruler_niah_mk_2 ruler_recall", "ruler_niah_mk_3 ruler_recall",
                "ruler_niah_mv ruler_recall"]),
    ("rag", ["nq substring_exact_match", "hotpotqa substring_exact_match", "popqa substring_exact_match",
             "triviaqa substring_exact_match"]),
    ("icl", ["trec_coarse exact_match", "trec_fine exact_match", "banking77 exact_match", "clinic150 exact_match",
             "nlu exact_match"]),
    ("cite", ["alce_asqa str_em", "alce_asqa citation_rec", "alce_asqa citation_prec",
              "alce_qampari qampari_rec_top5", "alce_qampari citation_rec", "alce_qampari citation_prec"]),
    ("rerank", ["msmarco_rerank_psg NDCG@10"]),
    ("longqa", ["narrativeqa gpt-4-score", "infbench_qa rougeL_f1", "infbench_choice exact_match"]),
    ("summ", ["infbench_sum gpt-4-f1", "multi_lexsum gpt-4-f1"]),
]

CONFIGS = ["recall", "recall_short", "rag", "rag_short", "longqa", "longqa_short", "summ", "summ_short", "rerank",
           "rerank_short", "icl", "icl_short", "cite", "cite_short", "ruler", "ruler_short"]


def read_config(path):
    values = {}
    for line in open(path):
        line = line.split("#", 1)[0].rstrip()
        if ":" in line:
            key, value = line.split(":", 1)
            values[key.strip()] = value.strip().strip("'\"")
    return values


def entries(config_dir):
    for name in CONFIGS:
        path = os.path.join(config_dir, name + ".yaml")
        if not os.path.exists(path):
            continue
        c = read_config(path)
        datasets = c["datasets"].split(",")
        generation = c["generation_max_length"].split(",")
        if len(generation) == 1:
            generation = generation * len(datasets)
        for dataset, test, length, gen in zip(datasets, c["test_files"].split(","),
                                              c["input_max_length"].split(","), generation):
            yield dict(dataset=dataset, test_name=os.path.splitext(os.path.basename(test))[0], length=int(length),
                       generation=int(gen), size=c["max_test_samples"], shots=c["shots"],
                       chat=c["use_chat_template"].lower() == "true")


def path_of(folder, e):
    name = (f"{e['dataset']}_v1_{e['test_name']}_in{e['length']}_size{e['size']}_shots{e['shots']}"
            f"_sampFalsemax{e['generation']}min0t0.0p1.0_chat{e['chat']}_42.json")
    return os.path.join(folder, name)


def chosen_file(path, dataset):
    gpt4 = path.replace(".json", "-gpt4eval_o.json")
    if os.path.exists(gpt4):
        return gpt4
    if "alce" in dataset:
        return path.replace(".json", ".json.score")
    if os.path.exists(path + ".score"):
        return path + ".score"
    return path


def averaged(path, metrics):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        result = json.load(f)
    if not path.endswith(".score"):
        result = result["averaged_metrics"]
    values = {}
    for metric in metrics:
        if metric not in result:
            return None
        value = result[metric]
        values[metric] = value * 100 if metric == "gpt-4-f1" else value * 100 / 3 if metric == "gpt-4-score" else value
    return values


def nanmean(values):
    present = [v for v in values if v is not None and not math.isnan(v)]
    return sum(present) / len(present) if present else float("nan")


def collect(config_dir, folder, lengths=None):
    cells = {}  # length -> column -> [values]
    for e in entries(config_dir):
        if lengths and e["length"] not in lengths:
            continue
        key, metrics = next(((k, m) for k, m in TABLE if k in e["dataset"]), (None, None))
        if key is None:
            continue
        values = averaged(chosen_file(path_of(folder, e), e["dataset"]), metrics)
        if values is None:
            continue
        for metric, value in values.items():
            cells.setdefault(e["length"], {}).setdefault(f"{key} {metric}", []).append(value)
    table = {}
    for length, columns in cells.items():
        row = {column: nanmean(values) for column, values in columns.items()}
        means = []
        for category, members in CATEGORIES:
            present = [row[m] for m in members if m in row]
            if present:
                row[category] = nanmean(present)
                means.append(row[category])
        if means:
            row["helmet_avg"] = nanmean(means)
        table[str(length)] = row
    return table


def main(argv):
    lengths = None
    if "--lengths" in argv:
        i = argv.index("--lengths")
        lengths = {int(x) for x in argv[i + 1].split(",")}
        del argv[i:i + 2]
    as_json = "--json" in argv
    timed = "--time" in argv
    argv = [a for a in argv if a not in ("--json", "--time")]
    config_dir, folders = argv[0], argv[1:]
    start = time.perf_counter()
    results = {folder: collect(config_dir, folder, lengths) for folder in folders}
    seconds = time.perf_counter() - start
    if timed:
        print(json.dumps({"seconds": seconds, "values": sum(len(row) for t in results.values() for row in t.values())}))
    elif as_json:
        json.dump(results, sys.stdout, indent=1, sort_keys=True)
    else:
        print(sum(len(row) for table in results.values() for row in table.values()), "values")


if __name__ == "__main__":
    main(sys.argv[1:])
