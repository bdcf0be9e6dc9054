"""A stand-in for lm-evaluation-harness's `lm_eval` command, for tests on machines without the models:
the same command line (--model, --model_args k=v,..., --tasks, --num_fewshot, --limit, --output_path,
--log_samples, --batch_size, --device), the same output layout (OUTPUT_PATH/<sanitized model>/
results_<timestamp>.json, samples_<task>_<timestamp>.jsonl) and the results file's current shape
(results, groups, group_subtasks, n-shot, config with model_args as a dict, lm_eval_version...). Scores
are pseudo-random, fixed by the model and task. The real harness runs in the demo (docs/mini-prolong.md)."""

import argparse
import datetime
import hashlib
import json
import os
import random
import re

TASKS = {
    "hellaswag": ("multiple_choice", ["acc", "acc_norm"], ["none"]),
    "arc_challenge": ("multiple_choice", ["acc", "acc_norm"], ["none"]),
    "winogrande": ("multiple_choice", ["acc"], ["none"]),
    "gsm8k": ("generate_until", ["exact_match"], ["strict-match", "flexible-extract"]),
}
MMLU = {"mmlu_stem": ["mmlu_abstract_algebra", "mmlu_anatomy"], "mmlu_humanities": ["mmlu_formal_logic"]}


def sanitize(name):
    return re.sub(r'["<>:/|\\?*\[\]]+', "__", name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="hf")
    parser.add_argument("--model_args", default="")
    parser.add_argument("--tasks", required=True)
    parser.add_argument("--num_fewshot", type=int, default=None)
    parser.add_argument("--limit", type=float, default=None)
    parser.add_argument("--batch_size", default=1)
    parser.add_argument("--device", default=None)
    parser.add_argument("--output_path", default=None)
    parser.add_argument("--log_samples", action="store_true")
    parser.add_argument("--include_path", default=None)
    args = parser.parse_args()
    model_args = dict(pair.split("=", 1) for pair in args.model_args.split(",") if pair)
    model = model_args.get("pretrained", "")
    results, groups, subtasks, nshot, samples = {}, {}, {}, {}, {}
    for task in args.tasks.split(","):
        leaves = [(task, TASKS.get(task))]
        if task == "mmlu":
            subtasks["mmlu"] = list(MMLU)
            leaves = []
            for group, children in MMLU.items():
                subtasks[group] = children
                leaves += [(child, ("multiple_choice", ["acc"], ["none"])) for child in children]
        for name, spec in leaves:
            if spec is None:
                parser.error(f"task '{name}' not found")
            rng = random.Random(hashlib.sha256(f"{model}|{name}".encode()).hexdigest())
            size = int(args.limit) if args.limit else 20
            entry = {"name": name, "alias": name.replace("mmlu_", "") if name.startswith("mmlu_") else name,
                     "sample_len": size}
            lines = []
            for filter_name in spec[2]:
                for metric in spec[1]:
                    scores = [float(rng.random() < 0.3 + 0.4 * rng.random()) for _ in range(size)]
                    mean = sum(scores) / size
                    entry[f"{metric},{filter_name}"] = mean
                    entry[f"{metric}_stderr,{filter_name}"] = (mean * (1 - mean) / max(1, size - 1)) ** 0.5
                    if metric == spec[1][-1]:
                        lines += [{"doc_id": i, "doc": {"i": i}, "target": "0", "filter": filter_name,
                                   "metrics": spec[1], metric: s} for i, s in enumerate(scores)]
            results[name] = entry
            nshot[name] = args.num_fewshot if args.num_fewshot is not None else (5 if name == "gsm8k" else 0)
            samples[name] = lines
    for group in subtasks:
        leaves = [leaf for child in subtasks[group] for leaf in subtasks.get(child, [child])]
        total = sum(results[leaf]["sample_len"] for leaf in leaves)
        mean = sum(results[leaf]["acc,none"] * results[leaf]["sample_len"] for leaf in leaves) / total
        groups[group] = {"name": group, "alias": group.replace("mmlu_", ""), "sample_len": total,
                         "acc,none": mean, "acc_stderr,none": 0.01, "sample_count": {"acc,none": total}}
        results[group] = groups[group]
        nshot[group] = nshot[leaves[0]]
    stamp = datetime.datetime.now().isoformat().replace(":", "-")
    out = {
        "results": results, "groups": groups, "group_subtasks": subtasks, "configs": {}, "versions": {},
        "n-shot": nshot, "higher_is_better": {}, "n-samples": {},
        "config": {"model": args.model, "model_args": model_args, "batch_size": args.batch_size,
                   "device": args.device, "limit": args.limit, "bootstrap_iters": 100000, "random_seed": 0,
                   "numpy_seed": 1234, "torch_seed": 1234, "fewshot_seed": 1234},
        "git_hash": None, "date": datetime.datetime.now().timestamp(), "transformers_version": "4.44.2",
        "lm_eval_version": "0.4.13", "model_source": args.model, "model_name": model,
        "model_name_sanitized": sanitize(model), "total_evaluation_time_seconds": "1.0",
    }
    if not groups:
        del out["groups"]
    if args.output_path:
        folder = os.path.join(args.output_path, sanitize(model))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"results_{stamp}.json"), "w") as f:
            json.dump(out, f, indent=2)
        if args.log_samples:
            for name, lines in samples.items():
                with open(os.path.join(folder, f"samples_{name}_{stamp}.jsonl"), "w") as f:
                    f.write("".join(json.dumps(line) + "\n" for line in lines))
    print(json.dumps({k: v for k, v in results.items()}, indent=1)[:400])


if __name__ == "__main__":
    main()
