"""A stand-in for HELMET's eval.py, for tests on machines without a GPU: the same command line (a YAML
--config whose values are defaults, the command line wins), the same per-dataset loop over comma lists
(a dataset whose test or demo file is missing is logged and skipped, and the run exits 0),
the same output names and file shapes (.json with args/data/metrics/averaged_metrics, a flat .json.score,
ALCE's .score with eval_alce.py's keys). Scores are pseudo-random, fixed by the model path, dataset,
length and seed, so that different models score differently and a rerun writes the same file."""

import argparse
import hashlib
import json
import os
import random
import sys


def parse_config(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].rstrip()
            if not line.strip() or ":" not in line:
                continue
            key, value = line.split(":", 1)
            value = value.strip().strip("'\"")
            if value.lower() in ("true", "false"):
                value = value.lower() == "true"
            else:
                try:
                    value = int(value)
                except ValueError:
                    pass
            values[key.strip()] = value
    return values


def arguments(argv):
    parser = argparse.ArgumentParser(description="HELMET eval.py stand-in")
    parser.add_argument("--config", type=str, default=None)
    parser.add_argument("--tag", type=str, default="eval")
    parser.add_argument("--model_name_or_path", type=str, default=None)
    parser.add_argument("--use_vllm", action="store_true")
    parser.add_argument("--datasets", type=str, default=None)
    parser.add_argument("--demo_files", type=str, default=None)
    parser.add_argument("--test_files", type=str, default=None)
    parser.add_argument("--output_dir", type=str, default=None)
    parser.add_argument("--overwrite", action="store_true")
    parser.add_argument("--max_test_samples", type=int, default=None)
    parser.add_argument("--num_workers", type=int, default=4)
    parser.add_argument("--num_depths", type=int, default=10)
    parser.add_argument("--popularity_threshold", type=int, default=3)
    parser.add_argument("--shots", type=int, default=2)
    parser.add_argument("--input_max_length", type=str, default="8192")
    parser.add_argument("--do_sample", type=lambda v: str(v).lower() == "true", default=False)
    parser.add_argument("--generation_max_length", type=str, default="10")
    parser.add_argument("--generation_min_length", type=int, default=0)
    parser.add_argument("--temperature", type=float, default=0.0)
    parser.add_argument("--top_p", type=float, default=1.0)
    parser.add_argument("--stop_newline", type=lambda v: str(v).lower() == "true", default=False)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no_cuda", action="store_true")
    parser.add_argument("--no_bf16", action="store_true")
    parser.add_argument("--no_torch_compile", action="store_true")
    parser.add_argument("--use_chat_template", type=lambda v: str(v).lower() == "true", default=False)
    parser.add_argument("--rope_theta", type=int, default=None)
    parser.add_argument("--debug", action="store_true")
    args, _ = parser.parse_known_args(argv)
    if args.config:
        config = parse_config(args.config)
        parser.set_defaults(**config)
    args = parser.parse_args(argv)
    for key, value in (parse_config(args.config) if args.config else {}).items():
        if not hasattr(args, key):
            setattr(args, key, value)
    if args.output_dir is None:
        args.output_dir = os.path.join("output", os.path.basename(args.model_name_or_path or "model"))
    if args.rope_theta is not None:
        args.output_dir += f"-override-rope{args.rope_theta}"
    if not args.do_sample and args.temperature != 0.0:
        args.temperature = 0.0
    return args


def metric_names(dataset):
    if dataset.startswith("ruler_") and "qa" not in dataset:
        return ["ruler_recall"]
    if dataset.startswith("msmarco"):
        return ["NDCG@5", "NDCG@10", "MRR", "num_preds"]
    return ["exact_match", "f1", "substring_exact_match", "rougeL_f1", "rougeL_recall", "rougeLsum_f1", "rougeLsum_recall"]


def examples(args, dataset, length, size):
    seed = hashlib.sha256(f"{args.model_name_or_path}|{dataset}|{length}|{args.seed}".encode()).hexdigest()
    rng = random.Random(seed)
    skill = 0.2 + 0.6 * rng.random()
    data = []
    for i in range(size):
        item = {"id": f"{dataset}-{i}", "question": f"question {i}", "output": f"answer {i}",
                "input_len": length - rng.randrange(64), "output_len": rng.randrange(1, 20)}
        hit = rng.random() < skill
        for name in metric_names(dataset):
            if name in ("exact_match", "substring_exact_match"):
                item[name] = hit if name == "exact_match" else hit or rng.random() < 0.1
            elif name == "num_preds":
                item[name] = 20
            else:
                item[name] = round(min(1.0, max(0.0, skill + rng.uniform(-0.3, 0.3))), 5)
        data.append(item)
    return data


def write(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=4)


def run_test(args, dataset, test_file, length, generation_length):
    tag = args.tag + (f"_pop{args.popularity_threshold}" if dataset == "popqa" else "")
    test_name = os.path.splitext(os.path.basename(test_file))[0]
    name = (f"{dataset}_{tag}_{test_name}_in{length}_size{args.max_test_samples}_shots{args.shots}"
            f"_samp{args.do_sample}max{generation_length}min{args.generation_min_length}t{args.temperature}p{args.top_p}"
            f"_chat{args.use_chat_template}_{args.seed}.json")
    path = os.path.join(args.output_dir, name)
    if os.path.exists(path) and not args.overwrite:
        print(f"{path} exists, skipping")
        return
    data = examples(args, dataset, length, args.max_test_samples or 100)
    keys = [k for k in data[0] if k not in ("id", "question", "output")]
    metrics = {k: [item[k] for item in data] for k in keys}
    averaged = {k: (sum(float(v) for v in values) / len(values)) * (1 if "_len" in k else 100)
                for k, values in metrics.items()}
    saved = dict(vars(args), datasets=dataset, test_files=test_file, input_max_length=length,
                 generation_max_length=generation_length)
    write(path, {"args": saved, "data": data, "metrics": metrics, "averaged_metrics": averaged, "throughput": 1.0})
    if "alce" in dataset:
        rng = random.Random(f"{args.model_name_or_path}|{name}")
        score = {"length": 40.0, "str_em": 100 * rng.random(), "str_hit": 100 * rng.random(),
                 "citation_rec": 100 * rng.random(), "citation_prec": 100 * rng.random(),
                 "citation_positions": {"0": 3}}
        if "qampari" in dataset:
            score.update(num_preds=5.0, qampari_prec=100 * rng.random(), qampari_rec=100 * rng.random(),
                         qampari_rec_top5=100 * rng.random(), qampari_f1=50.0, qampari_f1_top5=50.0)
        else:
            score["rougeLsum"] = 100 * rng.random()
        write(path + ".score", score)
    else:
        write(path + ".score", averaged)
    print(f"wrote {path}")


def main(argv):
    args = arguments(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    datasets = str(args.datasets).split(",")
    tests = str(args.test_files or "").split(",")
    demos = str(args.demo_files or "").split(",")
    assert len(tests) == len(demos), "test_files and demo_files must have the same length"
    lengths = [int(x) for x in str(args.input_max_length).split(",")]
    generation = [int(x) for x in str(args.generation_max_length).split(",")]
    if len(lengths) == 1:
        lengths *= len(datasets)
    if len(generation) == 1:
        generation *= len(datasets)
    for dataset, test, demo, length, gen in zip(datasets, tests, demos, lengths, generation):
        # As eval.py does: a dataset that fails (here: its data files are not where the config says,
        # relative to the working directory) is logged and skipped, and the run still exits 0.
        absent = [f for f in (test, demo) if f and not os.path.exists(f)]
        if absent:
            print(f"Error running {dataset}: [Errno 2] No such file or directory: {absent[0]!r}", file=sys.stderr)
            if args.debug:
                raise FileNotFoundError(absent[0])
            continue
        run_test(args, dataset, test, length, gen)


if __name__ == "__main__":
    main(sys.argv[1:])
