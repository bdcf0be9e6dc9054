"""`python -m minilm STAGE`: one stage of the mini ProLong protocol, configured by $ABLATE_CONFIG.

  base                     short-context pre-training of a fresh tiny Llama (the stand-in for Llama-3-8B)
  pretrain                 continued pre-training of `base` on a long/short data mix at `train_length`
  sft                      instruction tuning of the checkpoint in $ABLATE_CHECKPOINT (else of `pretrain`)
  eval [MODEL] [OUT]       HELMET-format long-context results of MODEL in OUT (default: the checkpoint or
                           the upstream model; OUT/helmet)
  tasks OUT                lm-evaluation-harness task YAMLs and their JSON-lines data in OUT
"""
import json
import os
import sys

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

BATCH = 8


def truthy(value) -> bool:
    return value in (True, 1, "true", "True", "yes", "on")


def steps_of(tokens, tokens_per_step: int) -> int:
    return max(1, int(tokens) // tokens_per_step)


def upstream_model(config: dict) -> str:
    inputs = config.get("inputs", {})
    for name in ("sft", "pretrain", "base"):
        if name in inputs:
            return inputs[name]
    raise SystemExit("no upstream model: the stage needs an `after:` stage that trains (sft, pretrain or base)")


def main(argv) -> None:
    stages = ("base", "pretrain", "sft", "eval", "tasks")
    if len(argv) < 2 or argv[1] not in stages:
        raise SystemExit(__doc__)
    stage = argv[1]
    if stage != "tasks":
        from transformers.utils import logging
        logging.disable_progress_bar()
    if stage == "tasks":
        from . import shorttasks
        if len(argv) != 3:
            raise SystemExit("usage: python -m minilm tasks OUT")
        shorttasks.write(argv[2])
        return
    with open(os.environ["ABLATE_CONFIG"]) as handle:
        config = json.load(handle)
    params = config["params"]
    seed = int(params.get("seed", 0))
    out = os.environ.get("ABLATE_OUTPUT_DIR", ".")
    if stage == "eval":
        from . import evaluate
        # Default: the fine-tuned model when there is one upstream, else the checkpoint the job fans out over.
        inputs = config.get("inputs", {})
        model = argv[2] if len(argv) > 2 else (
            inputs.get("sft") or os.environ.get("ABLATE_CHECKPOINT") or upstream_model(config))
        evaluate.run(model, argv[3] if len(argv) > 3 else os.path.join(out, "helmet"),
                     [int(n) for n in params.get("eval_lengths", [256, 512])], int(params.get("eval_examples", 48)))
        return
    from transformers import set_seed

    from . import batches, data, model, train
    # Before any model is built: a fresh model's initial weights come from this seed, so the same job
    # trains the same model on every machine and every run.
    set_seed(seed)
    if stage == "base":
        length = int(params.get("base_length", 128))
        steps = steps_of(params.get("base_tokens", 1_000_000), BATCH * length)
        rows = batches.PackedRows(params.get("base_data", "books@0.7 fineweb@0.3"), length, steps * BATCH, seed=0,
                                  document_masking=False)
        train.run(stage, model.fresh(float(params.get("rope_theta", 10000))), rows, steps, BATCH,
                  float(params.get("base_lr", 2e-3)), seed=0, save_every=max(1, steps // 4))
    elif stage == "pretrain":
        length = int(params["train_length"])
        ratio = float(params.get("long_ratio", 0.6))
        mix = {}
        for name, weight in data.parse_mix(params.get("long_data", "books")):
            mix[name] = mix.get(name, 0) + weight * ratio
        for name, weight in data.parse_mix(params.get("short_data", "fineweb@0.5 wikipedia@0.5")):
            mix[name] = mix.get(name, 0) + weight * (1 - ratio)
        mix = {name: weight for name, weight in mix.items() if weight > 0}
        batch_tokens = int(params.get("batch_tokens", 2048))
        if batch_tokens % length:
            raise SystemExit(f"batch_tokens {batch_tokens} is not a multiple of train_length {length}")
        batch = batch_tokens // length
        steps = steps_of(params.get("tokens", 1_000_000), batch_tokens)
        rows = batches.PackedRows(mix, length, steps * batch, seed=seed + 1,
                                  document_masking=truthy(params.get("doc_mask", True)))
        theta = params.get("rope_theta")
        train.run(stage, model.load(upstream_model(config), rope_theta=theta), rows, steps, batch,
                  float(params.get("lr", 1e-3)), seed=seed, save_every=int(params.get("save_every", max(1, steps // 4))))
    else:
        length = int(params.get("sft_length", 256))
        steps = steps_of(params.get("sft_tokens", 200_000), BATCH * length)
        rows = batches.InstructionRows(params.get("sft_data", "ultrachat"), length, steps * BATCH, seed=seed + 2)
        start = os.environ.get("ABLATE_CHECKPOINT") or upstream_model(config)
        train.run(stage, model.load(start), rows, steps, BATCH, float(params.get("sft_lr", 3e-5)), seed=seed,
                  save_every=max(1, steps // 2), weight_decay=0.0)


if __name__ == "__main__":
    main(sys.argv)
