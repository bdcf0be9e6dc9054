#!/usr/bin/env python3
"""Does a mini model look values up by key, or copy some value from its context? (docs/mini-prolong.md)

    .venv/bin/python scripts/bench/minilm_recall_probe.py MODEL_DIR [MODEL_DIR ...] [--trials N]

For each saved model (a job's output or a `checkpoint-N`), two measurements:
- books recall: over held-out `books` documents (a seed no training run uses), the share of `? k` queries
  after which the model's most likely next token is k's value;
- the n-fact probe, n = 2, 4, 8: `<s>`, n facts `k v ;` between short runs of filler words, then `? k`
  for one of the n keys. It prints how often the prediction is the right value, how often it is *some*
  value of the context, and the score of copying a random one of the n values (1/n), the baseline a
  model that ignores the key gets.
"""
import argparse
import os
import random
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

from minilm import data, model as M, vocab as V  # noqa: E402


def books_recall(net, documents: int, length: int) -> float:
    rng = random.Random("probe:books")
    right = total = 0
    for _ in range(documents):
        doc = data.long_document("books", rng, length)
        with torch.no_grad():
            predicted = net(torch.tensor([[V.BOS] + doc])).logits[0].argmax(-1).tolist()
        for i in range(len(doc) - 2):
            if doc[i] == V.QUERY:
                total += 1
                right += predicted[i + 2] == doc[i + 2]  # the prediction after `k` (offset 1 for <s>)
    return right / max(total, 1)


def fact_probe(net, n: int, trials: int):
    rng = random.Random(f"probe:facts:{n}")
    filler = data.markov("books")
    right = some = 0
    for _ in range(trials):
        keys = rng.sample(V.KEYS, n)
        values = rng.sample(V.VALUES, n)
        seq = [V.BOS]
        for k, v in zip(keys, values):
            seq += filler.words(rng, rng.randint(2, 6)) + [k, v, V.ITEM]
        asked = rng.randrange(n)
        seq += filler.words(rng, rng.randint(2, 6)) + [V.QUERY, keys[asked]]
        with torch.no_grad():
            predicted = int(net(torch.tensor([seq])).logits[0, -1].argmax())
        right += predicted == values[asked]
        some += predicted in values
    return right / trials, some / trials


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+")
    parser.add_argument("--trials", type=int, default=400)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--length", type=int, default=512)
    args = parser.parse_args()
    torch.manual_seed(0)
    for directory in args.models:
        net = M.load(directory).eval()
        print(f"{directory}: books recall {100 * books_recall(net, args.documents, args.length):.1f}%")
        for n in (2, 4, 8):
            right, some = fact_probe(net, n, args.trials)
            print(f"  n = {n}: right value {100 * right:.1f}%, some context value {100 * some:.1f}%,"
                  f" copy of a random one {100 / n:.1f}% (ratio {right * n:.2f})")


if __name__ == "__main__":
    main()
