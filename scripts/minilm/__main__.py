"""`python -m minilm STAGE`: run one stage of the mini ProLong protocol from $ABLATE_CONFIG."""
import json
import os
import sys

from . import data, evaluate, train
from .model import TinyGPT

BATCH = 8


def truthy(value) -> bool:
    return value in (True, 1, "true", "True", "yes", "on")


def main(argv) -> None:
    if len(argv) != 2 or argv[1] not in ("base", "pretrain", "sft", "eval"):
        raise SystemExit("usage: python -m minilm base|pretrain|sft|eval   (reads $ABLATE_CONFIG)")
    stage = argv[1]
    with open(os.environ["ABLATE_CONFIG"]) as handle:
        config = json.load(handle)
    params, inputs = config["params"], config.get("inputs", {})
    seed = int(params.get("seed", 0))
    if stage == "base":
        length = int(params.get("base_length", 128))
        mix = params.get("base_data", "fineweb@0.4 wikipedia@0.2 books@0.2 code_repos@0.2")
        steps = max(1, int(params.get("base_tokens", 1_000_000)) // (BATCH * length))
        train.run(stage, config, lambda: TinyGPT(rope_theta=float(params.get("rope_theta", 10000))),
                  lambda step: train.packed_batch(mix, length, BATCH, seed, step), steps,
                  float(params.get("lr", 2e-3)), BATCH * length, use_docs=False)
    elif stage == "pretrain":
        length = int(params["train_length"])
        ratio = float(params.get("long_ratio", 0.6))
        long_mix = data.parse_mix(params.get("long_data", "books"))
        short_mix = data.parse_mix(params.get("short_data", "fineweb@0.5 wikipedia@0.5"))
        mix = {name: w * ratio for name, w in long_mix}
        for name, w in short_mix:
            mix[name] = mix.get(name, 0) + w * (1 - ratio)
        batch = max(1, BATCH * 256 // length)
        steps = max(1, int(params.get("tokens", 1_000_000)) // (batch * length))
        theta = params.get("rope_theta")
        train.run(stage, config, lambda: train.load_model(inputs["base"], rope_theta=theta),
                  lambda step: train.packed_batch(mix, length, batch, seed + 1, step), steps,
                  float(params.get("lr", 1e-3)), batch * length, use_docs=truthy(params.get("doc_mask", True)))
    elif stage == "sft":
        length = int(params.get("sft_length", 256))
        steps = max(1, int(params.get("sft_tokens", 200_000)) // (BATCH * length))
        train.run(stage, config, lambda: train.load_model(inputs["pretrain"]),
                  lambda step: train.sft_batch(params.get("sft_data", "ultrachat"), BATCH, length, seed + 2, step),
                  steps, float(params.get("sft_lr", params.get("lr", 3e-5))), BATCH * length, use_docs=False)
    else:
        evaluate.run(config)


if __name__ == "__main__":
    main(sys.argv)
