"""A stand-in for HELMET's scripts/eval_gpt4_longqa.py: for each model in --model_to_check, judges the
narrativeqa_*_<tag>_*.json files in output/<model>/ and writes the -gpt4eval_o.json copy with a
per-item `gpt-4-scores` ({fluency, correctness}) and averaged_metrics['gpt-4-score'] on the 0-3 scale."""

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
        for path in sorted(glob.glob(f"output/{model}/narrativeqa_*_{args.tag}_*.json")):
            target = path.replace(".json", "-gpt4eval_o.json")
            if path.endswith("-gpt4eval_o.json") or os.path.exists(target):
                continue
            with open(path) as f:
                result = json.load(f)
            rng = random.Random(json.dumps(result["averaged_metrics"], sort_keys=True))
            total, count = 0, 0
            for item in result["data"]:
                scores = {"fluency": int(rng.random() < 0.9), "correctness": rng.randrange(4)}
                item["gpt-4-scores"] = scores
                total += scores["fluency"] * scores["correctness"]
                count += 1
            result["averaged_metrics"]["gpt-4-score"] = total / count
            with open(target, "w") as f:
                json.dump(result, f, indent=4)
            print(f"wrote {target}")


if __name__ == "__main__":
    main()
