"""The training loop shared by the base, pretrain and sft stages: resumable from the job directory,
stoppable with SIGTERM (it checkpoints first), checkpointing on SIGUSR1 (Slurm's warning before the
time limit), logging loss, learning rate and tokens/s."""
import json
import math
import os
import random
import signal
import sys
import time

import torch
import torch.nn.functional as F

from . import checkpoint, data
from . import vocab as V
from .model import TinyGPT


class Stop:
    requested = False
    checkpoint = False


def _on_term(signum, frame):
    Stop.requested = True


def _on_usr1(signum, frame):
    # Slurm's --signal=B:USR1@SECONDS (forwarded by ablate-wrap): the time limit is near; checkpoint now
    # and go on, so that a requeued attempt loses little.
    Stop.checkpoint = True


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() and os.environ.get("MINILM_DEVICE", "auto") != "cpu" else "cpu")


def packed_batch(mix, length: int, batch: int, seed: int, step: int):
    """The batch of a step: the same for the same (seed, step), so a resumed run sees the same data."""
    generator = data.packed_batches(mix, length + 1, batch, seed=hash((seed, step)) & 0xFFFFFFFF)
    tokens, docs = next(generator)
    tokens = torch.tensor(tokens)
    docs = torch.tensor(docs)
    return tokens[:, :-1], tokens[:, 1:], docs[:, :-1]


def sft_batch(name, batch: int, length: int, seed: int, step: int):
    rng = random.Random(f"sft:{seed}:{step}")
    rows, targets = [], []
    names = [n for n, _ in data.parse_mix(name)] if isinstance(name, str) and "@" in name else [name]
    weights = [w for _, w in data.parse_mix(name)] if isinstance(name, str) and "@" in name else [1.0]
    for _ in range(batch):
        prompt, answer = data.sft_example(rng.choices(names, weights)[0], rng, long_length=length - 16)
        sequence = ([V.BOS] + prompt + answer + [V.SEP])[-(length + 1):]
        answer_start = len(sequence) - len(answer) - 1
        target = [-100] * (len(sequence) - 1)
        for i in range(answer_start, answer_start + len(answer)):
            target[i - 1] = sequence[i]
        pad = length + 1 - len(sequence)
        rows.append(sequence[:-1] + [V.PAD] * pad)
        targets.append(target + [-100] * pad)
    return torch.tensor(rows), torch.tensor(targets), None


def run(stage: str, config: dict, make_model, batches, steps: int, lr: float, tokens_per_step: int, use_docs: bool):
    """Trains `make_model()` for `steps` steps, resuming from the job directory's checkpoint."""
    out = os.environ.get("ABLATE_OUTPUT_DIR", config.get("output_dir", "."))
    metrics_path = os.environ.get("ABLATE_METRICS", os.path.join(out, "metrics.jsonl"))
    state_path = os.path.join(out, "state.pt")
    torch.set_num_threads(int(os.environ.get("MINILM_THREADS", "1")))
    torch.manual_seed(int(config["params"].get("seed", 0)))
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGUSR1, _on_usr1)
    dev = device()
    model = make_model().to(dev)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, betas=(0.9, 0.95))
    start = 0
    saved = checkpoint.load(state_path)
    if saved is not None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        start = saved["step"]
        print(f"{stage}: resuming at step {start} of {steps}", flush=True)
    warmup = max(1, steps // 20)
    metrics = open(metrics_path, "a")
    seen = start * tokens_per_step
    clock, window_tokens, losses = time.time(), 0, []
    model.train()
    for step in range(start, steps):
        rate = lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / steps)))
        for group in optimizer.param_groups:
            group["lr"] = rate
        inputs, targets, docs = batches(step)
        inputs, targets = inputs.to(dev), targets.to(dev)
        logits = model(inputs, docs.to(dev) if use_docs and docs is not None else None)
        loss = F.cross_entropy(logits.reshape(-1, V.VOCAB_SIZE), targets.reshape(-1), ignore_index=-100)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        seen += tokens_per_step
        window_tokens += tokens_per_step
        losses.append(loss.item())
        done = step + 1
        if done % 10 == 0 or done == steps:
            elapsed = max(time.time() - clock, 1e-9)
            line = {"step": done, "loss": sum(losses) / len(losses), "lr": rate, "tokens": seen,
                    "tokens_per_s": window_tokens / elapsed}
            metrics.write(json.dumps(line) + "\n")
            metrics.flush()
            clock, window_tokens, losses = time.time(), 0, []
        if done % 50 == 0 or done == steps or Stop.requested or Stop.checkpoint:
            checkpoint.save(state_path, {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": done})
        if Stop.checkpoint:
            Stop.checkpoint = False
            print(f"{stage}: SIGUSR1 at step {done}; checkpoint saved, going on", flush=True)
        if Stop.requested:
            print(f"{stage}: SIGTERM at step {done}; checkpoint saved", flush=True)
            sys.exit(143)
    final = {"final_loss": loss.item(), "tokens": seen, "steps": steps}
    metrics.write(json.dumps(final) + "\n")
    metrics.close()
    checkpoint.save(os.path.join(out, "model.pt"), {"config": model.config, "model": model.state_dict()})
    print(f"{stage}: done, {steps} steps, {seen} tokens, final loss {loss.item():.3f}", flush=True)


def load_model(directory: str, rope_theta=None) -> TinyGPT:
    saved = checkpoint.load(os.path.join(directory, "model.pt"))
    if saved is None:
        raise SystemExit(f"no model.pt in '{directory}'; did the upstream stage succeed?")
    config = dict(saved["config"])
    if rope_theta is not None:
        config["rope_theta"] = float(rope_theta)
    model = TinyGPT(**config)
    model.load_state_dict(saved["model"])
    return model
