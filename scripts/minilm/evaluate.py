"""HELMET-like evaluation at several context lengths, plus short-task proxies; scores are 0-100."""
import json
import os
import random

import torch
import torch.nn.functional as F

from . import data
from . import vocab as V
from .train import device, load_model

SAMPLES = 64


def _filler(rng, n):
    return data.markov("eval").words(rng, n)


def recall_example(rng, length):
    """JSON-KV-like: many `k v ;` pairs, then `? k` for one of them."""
    keys = rng.sample(V.KEYS, len(V.KEYS))
    pairs = [(k, rng.choice(V.VALUES)) for k in keys]
    per_pair = max(4, (length - 8) // len(pairs))
    context = []
    for k, v in pairs:
        context += [k, v, V.ITEM] + _filler(rng, per_pair - 3)
    context = context[: length - 4]
    present = [(k, v) for k, v in pairs if k in context[::1]]
    k, v = rng.choice([(k, v) for k, v in present if context.index(k) + 2 < len(context)])
    return [V.BOS] + context + [V.QUERY, k], v


def rag_example(rng, length):
    """Passages of text, each holding one fact; the question's answer is in one of them."""
    passages, facts = [], []
    keys = rng.sample(V.KEYS, 12)
    size = max(12, (length - 8) // len(keys))
    for index, k in enumerate(keys):
        v = rng.choice(V.VALUES)
        body = _filler(rng, size - 6)
        at = rng.randint(0, len(body))
        passages += [V.PASSAGE, V.PASSAGE_IDS[index]] + body[:at] + [k, v, V.ITEM] + body[at:]
        facts.append((k, v))
    passages = passages[: length - 4]
    k, v = rng.choice([f for f in facts if f[0] in passages[:-1]])
    return [V.BOS] + passages + [V.QUERY, k], v


def rerank_example(rng, length):
    """Which passage mentions the key? Answer: its passage identifier."""
    keys = rng.sample(V.KEYS, 12)
    size = max(12, (length - 8) // len(keys))
    passages, owner = [], {}
    for index, k in enumerate(keys):
        body = _filler(rng, size - 6)
        at = rng.randint(0, len(body))
        passages += [V.PASSAGE, V.PASSAGE_IDS[index]] + body[:at] + [k, rng.choice(V.VALUES), V.ITEM] + body[at:]
        owner[k] = V.PASSAGE_IDS[index]
    passages = passages[: length - 4]
    k = rng.choice([k for k in keys if k in passages])
    return [V.BOS] + passages + [V.PASSAGE, k], owner[k]


def icl_example(rng, length):
    """Many-shot classification with a label mapping drawn per example."""
    inputs = rng.sample(V.KEYS, 8)
    labels = rng.sample(V.LABELS, 8)
    mapping = dict(zip(inputs, labels))
    context = []
    while len(context) < length - 4:
        x = rng.choice(inputs)
        context += [x, mapping[x], V.ITEM]
    context = context[: length - 3]
    x = rng.choice([x for x in inputs if x in context[:-1]])
    return [V.BOS] + context + [V.QUERY, x], mapping[x]


TASKS = {"recall": recall_example, "rag": rag_example, "rerank": rerank_example, "icl": icl_example}


@torch.no_grad()
def accuracy(model, examples, dev) -> float:
    correct = 0
    for start in range(0, len(examples), 16):
        chunk = examples[start:start + 16]
        width = max(len(p) for p, _ in chunk)
        tokens = torch.tensor([[V.PAD] * (width - len(p)) + p for p, _ in chunk], device=dev)
        # Left padding keeps every answer position last; padding is never attended to by later tokens
        # meaningfully (it comes first), and positions shift equally for the batch.
        logits = model(tokens)[:, -1, :]
        predictions = logits.argmax(-1).tolist()
        correct += sum(int(p == answer) for p, (_, answer) in zip(predictions, chunk))
    return 100.0 * correct / len(examples)


@torch.no_grad()
def short_tasks(model, dev):
    rng = random.Random("short-eval")
    losses, hits, total = [], 0, 0
    for source in ["fineweb", "wikipedia"]:
        for _ in range(16):
            sequence = torch.tensor([[V.BOS] + data.document(source, rng, 127)], device=dev)
            logits = model(sequence[:, :-1])
            losses.append(F.cross_entropy(logits[0], sequence[0, 1:]).item())
            hits += (logits[0].argmax(-1) == sequence[0, 1:]).sum().item()
            total += sequence.shape[1] - 1
    return 100.0 * hits / total, sum(losses) / len(losses)


def run(config: dict):
    params = config["params"]
    inputs = config.get("inputs", {})
    model_dir = inputs.get("sft") or inputs.get("pretrain") or inputs.get("base") or next(iter(inputs.values()))
    lengths = params.get("eval_lengths", [256, 512])
    torch.set_num_threads(int(os.environ.get("MINILM_THREADS", "1")))
    dev = device()
    model = load_model(model_dir).to(dev).eval()
    scores = {}
    for task, make in TASKS.items():
        per_length = []
        for length in lengths:
            rng = random.Random(f"{task}:{length}")
            value = accuracy(model, [make(rng, length) for _ in range(SAMPLES)], dev)
            scores[f"{task}_{length // 1024}k" if length >= 1024 else f"{task}_{length}"] = value
            per_length.append(value)
        scores[task] = sum(per_length) / len(per_length)
    scores["short_acc"], scores["short_loss"] = short_tasks(model, dev)
    scores["long_avg"] = sum(scores[t] for t in TASKS) / len(TASKS)
    with open(os.environ.get("ABLATE_METRICS", "metrics.jsonl"), "a") as metrics:
        metrics.write(json.dumps(scores) + "\n")
    print("eval: " + ", ".join(f"{k} {v:.1f}" for k, v in scores.items()), flush=True)
