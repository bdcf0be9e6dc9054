"""Long-context evaluation in HELMET's output format.

Synthetic tasks in the shape of HELMET's datasets, under their names, so that HELMET's collector (and
collect_results.py's category table) scores them: Recall (json_kv, ruler_niah_mk_2, ruler_niah_mk_3,
ruler_niah_mv), RAG (nq, triviaqa, popqa, hotpotqa), Re-rank (msmarco_rerank_psg) and ICL (trec_coarse,
trec_fine, banking77, clinic150, nlu). Every prompt is exactly the input length. Per dataset and length,
eval.py's three-part name (`{dataset}_{tag}_{test}_in{L}_size{N}_shots{S}_samp..._chat..._{seed}.json`)
holds `args`, `data` (each example with its metrics), `metrics` and `averaged_metrics` (x100), and a flat
`.json.score` beside it holds the averaged metrics.
"""
import json
import math
import os
import random
import time

import torch

from . import data
from . import vocab as V

TAG, SEED = "v1", 42


def _filler(rng, n, source="eval"):
    return data.markov(source).words(rng, max(0, n))


def _fit(tokens, length, rng):
    """Exactly `length` tokens: cut from the front of the context, or filler prepended."""
    if len(tokens) > length:
        return tokens[len(tokens) - length:]
    return _filler(rng, length - len(tokens)) + tokens


def _needles(rng, length, facts, code=False):
    """Facts spread through filler text, each written as books (`k v ;`) or code (`def k v`) write them."""
    room = max(8, length // (len(facts) + 1))
    context = []
    for k, v in facts:
        context += _filler(rng, room - 3) + ([V.DEF, k, v] if code else [k, v, V.ITEM])
    return context


def json_kv(rng, length):
    keys = rng.sample(V.KEYS, len(V.KEYS))
    pairs = [(k, rng.choice(V.VALUES)) for k in keys]
    context, index = [], 0
    while len(context) < length:
        k, v = pairs[index % len(pairs)]
        context += [k, v, V.ITEM] + _filler(rng, 3)
        index += 1
    context = context[: length - 3]
    seen = [(k, v) for k, v in pairs if k in context[:-2]]
    k, v = rng.choice(seen)
    return [V.BOS] + context + [V.QUERY, k], [v]


def niah(code: bool, keys: int):
    def make(rng, length):
        facts = [(k, rng.choice(V.VALUES)) for k in rng.sample(V.KEYS, keys)]
        k, v = rng.choice(facts)
        context = _needles(rng, length - 3, facts, code)
        return [V.BOS] + _fit(context, length - 3, rng) + ([V.USE, k] if code else [V.QUERY, k]), [v]
    return make


def niah_mv(rng, length):
    """One key with two values stated far apart; both must come first among the predictions."""
    k = rng.choice(V.KEYS)
    values = rng.sample(V.VALUES, 2)
    context = _needles(rng, length - 3, [(k, values[0]), (k, values[1])])
    return [V.BOS] + _fit(context, length - 3, rng) + [V.QUERY, k], values


def passages(count: int, code: bool):
    def make(rng, length):
        keys = rng.sample(V.KEYS, count)
        size = max(10, (length - 4) // count)
        context, facts = [], []
        for index, k in enumerate(keys):
            v = rng.choice(V.VALUES)
            body = _filler(rng, size - 5)
            at = rng.randint(0, len(body))
            fact = [V.DEF, k, v] if code else [k, v, V.ITEM]
            context += [V.PASSAGE, V.PASSAGE_IDS[index % len(V.PASSAGE_IDS)]] + body[:at] + fact + body[at:]
            facts.append((k, v))
        context = _fit(context, length - 3, rng)
        k, v = rng.choice([f for f in facts if f[0] in context[:-1]])
        return [V.BOS] + context + ([V.USE, k] if code else [V.QUERY, k]), [v]
    return make


def rerank(rng, length):
    """Which passage states the key? The passage identifiers ranked by the model's scores."""
    count = 12
    keys = rng.sample(V.KEYS, count)
    size = max(10, (length - 4) // count)
    context, owner = [], {}
    for index, k in enumerate(keys):
        body = _filler(rng, size - 5)
        at = rng.randint(0, len(body))
        context += [V.PASSAGE, V.PASSAGE_IDS[index]] + body[:at] + [k, rng.choice(V.VALUES), V.ITEM] + body[at:]
        owner[k] = V.PASSAGE_IDS[index]
    context = _fit(context, length - 3, rng)
    k = rng.choice([k for k in keys if k in context])
    return [V.BOS] + context + [V.PASSAGE, k], [owner[k]]


def icl(labels):
    def make(rng, length):
        inputs = rng.sample(V.KEYS, min(len(labels), len(V.KEYS)))
        mapping = dict(zip(inputs, rng.sample(labels, len(inputs))))
        context = []
        while len(context) < length:
            x = rng.choice(inputs)
            context += [x, mapping[x], V.ITEM]
        context = context[: length - 3]
        x = rng.choice([x for x in inputs if x in context[:-2]])
        return [V.BOS] + context + [V.QUERY, x], [mapping[x]]
    return make


# dataset -> (category, example maker, metric, shots as HELMET's configs run it)
DATASETS = {
    "json_kv": ("recall", json_kv, "substring_exact_match", 2),
    "ruler_niah_mk_2": ("recall", niah(code=False, keys=4), "ruler_recall", 0),
    "ruler_niah_mk_3": ("recall", niah(code=True, keys=4), "ruler_recall", 0),
    "ruler_niah_mv": ("recall", niah_mv, "ruler_recall", 0),
    "nq": ("rag", passages(12, code=False), "substring_exact_match", 2),
    "triviaqa": ("rag", passages(8, code=False), "substring_exact_match", 2),
    "popqa": ("rag", passages(12, code=True), "substring_exact_match", 2),
    "hotpotqa": ("rag", passages(16, code=False), "substring_exact_match", 2),
    "msmarco_rerank_psg": ("rerank", rerank, "NDCG@10", 2),
    "trec_coarse": ("icl", icl(V.LABELS[:6]), "exact_match", 0),
    "trec_fine": ("icl", icl(V.LABELS), "exact_match", 0),
    "banking77": ("icl", icl(V.VALUES[:12]), "exact_match", 0),
    "clinic150": ("icl", icl(V.VALUES[:24]), "exact_match", 0),
    "nlu": ("icl", icl(V.VALUES[:16]), "exact_match", 0),
}


def sizes(per_category: int) -> dict:
    """Examples per dataset: each category's `per_category` examples split evenly over its datasets
    (rounded up), so that every category is scored on about as many examples."""
    counts = {}
    for category, *_ in DATASETS.values():
        counts[category] = counts.get(category, 0) + 1
    return {name: -(-per_category // counts[entry[0]]) for name, entry in DATASETS.items()}


def score(metric: str, answers, logits: torch.Tensor) -> dict:
    """One example's metrics (0 or 1, NDCG in [0, 1]) from the logits at its last position."""
    order = torch.argsort(logits, descending=True).tolist()
    if metric == "NDCG@10":
        candidates = [p for p in order if p in V.PASSAGE_IDS]
        rank = candidates.index(answers[0]) + 1
        return {"NDCG@10": 1 / math.log2(rank + 1) if rank <= 10 else 0.0, "output": V.NAMES[candidates[0]]}
    top = order[: len(answers)]
    found = sum(1 for a in answers if a in top) / len(answers)
    return {metric: found, "output": " ".join(V.NAMES[t] for t in top)}


@torch.no_grad()
def last_logits(model, prompts, device):
    rows = []
    for start in range(0, len(prompts), 16):
        chunk = torch.tensor(prompts[start:start + 16], device=device)
        rows.append(model(input_ids=chunk, use_cache=False).logits[:, -1, :].float().cpu())
    return torch.cat(rows)


def file_name(dataset: str, length: int, size: int, shots: int) -> str:
    return (f"{dataset}_{TAG}_mini_in{length}_size{size}_shots{shots}_sampFalsemax4min0t0.0p1.0"
            f"_chatFalse_{SEED}.json")


def run(model_dir: str, out: str, lengths, per_category: int) -> None:
    """Evaluates the model in `model_dir` at each input length, `per_category` examples per category."""
    from . import model as M
    from .train import on_gpu
    torch.set_num_threads(int(os.environ.get("MINILM_THREADS", "1")))
    device = torch.device("cuda" if on_gpu() else "cpu")
    model = M.load(model_dir).to(device).eval()
    os.makedirs(out, exist_ok=True)
    summary = []
    counts = sizes(per_category)
    for length in lengths:
        for dataset, (_, make, metric, shots) in DATASETS.items():
            samples = counts[dataset]
            rng = random.Random(f"{dataset}:{length}")
            examples = [make(rng, length) for _ in range(samples)]
            assert all(len(p) == length for p, _ in examples), dataset
            start = time.time()
            logits = last_logits(model, [p for p, _ in examples], device)
            elapsed = max(time.time() - start, 1e-9)
            rows = []
            for index, ((prompt, answers), row) in enumerate(zip(examples, logits)):
                scored = score(metric, answers, row)
                rows.append({"id": f"{dataset}-{length}-{index}", "question": V.text(prompt[-2:]),
                             "answer": [V.NAMES[a] for a in answers], "input_len": length,
                             "output_len": len(answers), **scored})
            metrics = {metric: [r[metric] for r in rows], "input_len": [r["input_len"] for r in rows],
                       "output_len": [r["output_len"] for r in rows]}
            averaged = {key: 100 * sum(values) / len(values) if key == metric else sum(values) / len(values)
                        for key, values in metrics.items()}
            name = file_name(dataset, length, samples, shots)
            arguments = {"model_name_or_path": os.path.abspath(model_dir), "datasets": dataset, "tag": TAG,
                         "input_max_length": length, "generation_max_length": 4, "max_test_samples": samples,
                         "shots": shots, "seed": SEED, "use_chat_template": False, "do_sample": False}
            _write(os.path.join(out, name), {"args": arguments, "data": rows, "metrics": metrics,
                                             "averaged_metrics": averaged,
                                             "throughput": samples / elapsed})
            _write(os.path.join(out, name + ".score"), averaged)
            summary.append(f"{dataset}@{length} {averaged[metric]:.1f}")
    print("eval: " + ", ".join(summary), flush=True)


def _write(path: str, value) -> None:
    temporary = path + ".tmp"
    with open(temporary, "w") as handle:
        json.dump(value, handle, indent=2)
    os.replace(temporary, path)
