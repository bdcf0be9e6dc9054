"""A stand-in for HELMET's scripts/eval_gpt4_summ.py: for each model in --model_to_check, judges the
multi_lexsum_*_<tag>_*.json and infbench_sum_*_<tag>_*.json files in output/<model>/ and writes the
-gpt4eval_o.json copy with per-item `gpt-4-scores` and averaged_metrics gpt-4-recall, gpt-4-precision,
gpt-4-fluency and gpt-4-f1 on the 0-1 scale."""

import argparse
import glob
import json
import os
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--num_shards", type=int, default=1)
    parser.add_argument("--shard_idx", type=int, default=0)
    parser.add_argument("--model_to_check", nargs="+", default=[])
    parser.add_argument("--tag", type=str, default="v1")
    args = parser.parse_args()
    if not os.environ.get("OPENAI_API_KEY"):
        # openai.OpenAI() raises this without a key, before any file is judged.
        raise SystemExit("openai.OpenAIError: The api_key client option must be set either by passing api_key to the client or by setting the OPENAI_API_KEY environment variable")
    for model in args.model_to_check:
        paths = glob.glob(f"output/{model}/multi_lexsum_*_{args.tag}_*.json")
        paths += glob.glob(f"output/{model}/infbench_sum_*_{args.tag}_*.json")
        for path in sorted(paths):
            target = path.replace(".json", "-gpt4eval_o.json")
            if path.endswith("-gpt4eval_o.json") or os.path.exists(target):
                continue
            with open(path) as f:
                result = json.load(f)
            rng = random.Random(json.dumps(result["averaged_metrics"], sort_keys=True))
            sums = {"recall": 0.0, "precision": 0.0, "fluency": 0.0, "f1": 0.0}
            for item in result["data"]:
                fluency, recall, precision = int(rng.random() < 0.9), rng.random(), rng.random()
                f1 = fluency * 2 * recall * precision / (recall + precision) if recall + precision else 0.0
                item["gpt-4-scores"] = {"fluency": fluency, "recall": recall, "precision": precision, "f1": f1}
                for key, value in (("recall", recall), ("precision", precision), ("fluency", fluency), ("f1", f1)):
                    sums[key] += value
            for key, value in sums.items():
                result["averaged_metrics"][f"gpt-4-{key}"] = value / len(result["data"])
            with open(target, "w") as f:
                json.dump(result, f, indent=4)
            print(f"wrote {target}")


if __name__ == "__main__":
    main()
