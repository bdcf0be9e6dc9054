#!/usr/bin/env python3
"""Throughput of the mini trainer's stack, with a baseline measured in the same run.

    .venv/bin/python scripts/bench/minilm_throughput.py [--steps N] [--length L] [--threads T]

Trains the demo's tiny Llama for N steps at context L with the Hugging Face Trainer (scripts/minilm, as the
sweeps run it: packed rows with document masking, checkpointing off) and with a plain PyTorch loop over
the same model, rows and optimizer settings (the baseline: what the Trainer costs on top), then
evaluates the trained model with lm-evaluation-harness on the local short tasks and with the
HELMET-format evaluator. Runs on CUDA when torch sees a GPU (MINILM_DEVICE=cpu forces the CPU). Prints
one line per figure and a JSON summary last.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import torch  # noqa: E402

from minilm import batches, evaluate, model as M, shorttasks, train  # noqa: E402


def plain_loop(rows, steps, batch, device) -> float:
    torch.manual_seed(0)
    net = M.fresh(10000.0).to(device)
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.1, betas=(0.9, 0.95))
    net.train()
    start = None
    for step in range(steps):
        if step == 2:  # as for the Trainer's figure: after warm-up steps
            if device.type == "cuda":
                torch.cuda.synchronize()
            start = time.time()
        inputs = {k: v.to(device) if torch.is_tensor(v) else v
                  for k, v in batches.collate([rows[step * batch + i] for i in range(batch)]).items()}
        loss = net(**inputs).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (steps - 2) * batch * rows.length / (time.time() - start)


def trainer_run(rows, steps, batch, out) -> float:
    os.environ["ABLATE_OUTPUT_DIR"] = out
    torch.manual_seed(0)
    train.run("bench", M.fresh(10000.0), rows, steps, batch, 1e-3, seed=0, save_every=10 * steps)
    with open(os.path.join(out, "trainer_state.json")) as handle:
        history = json.load(handle)["log_history"]
    rates = sorted(entry["tokens_per_s"] for entry in history if "tokens_per_s" in entry)
    return rates[len(rates) // 2]


def lm_eval_rate(model_dir, work) -> tuple:
    tasks, out = os.path.join(work, "tasks"), os.path.join(work, "lm-eval")
    shorttasks.write(tasks)
    device = "cuda" if train.on_gpu() else "cpu"
    command = shorttasks.lm_eval_command(model_dir, tasks, out, device)
    start = time.time()
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, HF_HOME=os.path.join(work, "hf")))
    wall = time.time() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    results = json.load(open(glob.glob(os.path.join(out, "*", "results_*.json"))[0]))
    tokens = 0
    for path in glob.glob(os.path.join(out, "*", "samples_*.jsonl")):
        for line in open(path):
            sample = json.loads(line)
            arguments = sample["arguments"]
            for argument in arguments.values():
                tokens += len(str(argument.get("arg_0", "")).split())
                if isinstance(argument.get("arg_1"), str):
                    tokens += len(argument["arg_1"].split())
    seconds = float(results["total_evaluation_time_seconds"])  # a string in the results file
    return tokens / seconds, seconds, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--length", type=int, default=1024)
    parser.add_argument("--batch-tokens", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("MINILM_THREADS", "1")))
    args = parser.parse_args()
    os.environ["MINILM_THREADS"] = str(args.threads)
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if train.on_gpu() else "cpu")
    batch = args.batch_tokens // args.length
    rows = batches.PackedRows("books@0.3 code_repos@0.3 fineweb@0.4", args.length, args.steps * batch, seed=1,
                              document_masking=True)
    work = tempfile.mkdtemp(prefix="minilm-bench-")
    where = torch.cuda.get_device_name(0) if device.type == "cuda" else f"cpu, {args.threads} thread(s)"
    trainer = trainer_run(rows, args.steps, batch, os.path.join(work, "model"))
    plain = plain_loop(rows, args.steps, batch, device)
    print(f"training at {args.length} ({where}): HF Trainer {trainer:,.0f} tokens/s, plain PyTorch loop "
          f"{plain:,.0f} tokens/s, ratio {trainer / plain:.2f}")
    start = time.time()
    evaluate.run(os.path.join(work, "model"), os.path.join(work, "helmet"), [256, 512], 48)
    helmet_seconds = time.time() - start
    helmet_tokens = sum(evaluate.sizes(48).values()) * (256 + 512)
    rate, evaluation, wall = lm_eval_rate(os.path.join(work, "model"), work)
    print(f"HELMET-format evaluation: {helmet_tokens / helmet_seconds:,.0f} tokens/s "
          f"({helmet_tokens:,} prompt tokens in {helmet_seconds:.1f} s, model load included)")
    print(f"lm_eval --model hf: {rate:,.0f} tokens/s over its evaluation time ({evaluation:.1f} s), "
          f"{wall:.1f} s for the whole command")
    print(json.dumps({"device": where, "length": args.length, "trainer_tokens_per_s": trainer,
                      "plain_loop_tokens_per_s": plain, "ratio": trainer / plain,
                      "helmet_tokens_per_s": helmet_tokens / helmet_seconds, "lm_eval_tokens_per_s": rate,
                      "lm_eval_seconds": wall}))


if __name__ == "__main__":
    main()
