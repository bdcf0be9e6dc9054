"""Synthetic data sources named after the paper's, generated deterministically from a seed.

Long sources carry long-range dependencies: `books` introduce entities with attributes (`k v ;`) and
recall them much later (`? k v`); `code_repos` define identifiers (`def k v`) and use them far away
(`use k v`); `textbooks` mix both at shorter distances. Short sources (`fineweb`, `fineweb_edu`,
`wikipedia`, `stackexchange`, `arxiv`, `openwebmath`, `tulu`) have local structure only: a per-source
Markov chain over words. SFT sets give (prompt, answer) pairs whose loss is on the answer only.
"""
import random

from . import vocab as V

SHORT_SOURCES = ["fineweb", "fineweb_edu", "wikipedia", "stackexchange", "arxiv", "openwebmath", "tulu"]
LONG_SOURCES = ["books", "code_repos", "textbooks"]
SFT_SETS = ["ultrachat", "tulu", "synthetic_long_qa"]


class MarkovText:
    """Local structure: each word is followed by one of 4 likely successors (per source)."""

    def __init__(self, source: str):
        rng = random.Random("markov:" + source)
        self.next = {w: rng.sample(V.WORDS, 4) for w in V.WORDS}

    def words(self, rng: random.Random, n: int, start=None):
        w = start if start is not None else rng.choice(V.WORDS)
        out = []
        for _ in range(n):
            out.append(w)
            w = rng.choice(self.next[w]) if rng.random() < 0.9 else rng.choice(V.WORDS)
        return out


_MARKOV = {}


def markov(source: str) -> MarkovText:
    if source not in _MARKOV:
        _MARKOV[source] = MarkovText(source)
    return _MARKOV[source]


def short_document(source: str, rng: random.Random, length: int):
    return markov(source).words(rng, length)


def long_document(source: str, rng: random.Random, length: int):
    """A document with facts introduced early and recalled later, between filler text.

    Books are organised in sections (`PASSAGE id`) and ask both for a fact's value (`? k v`) and for
    the section that stated it (`PASSAGE k id`); code repositories define identifiers (`def k v`) and
    use them far away (`use k v`); textbooks mix both at shorter distances. Values include label symbols
    so that in-context label mappings use tokens the model has produced before.
    """
    text = markov("books" if source != "code_repos" else "code")
    code = source == "code_repos" or (source == "textbooks" and rng.random() < 0.5)
    facts, section = {}, {}
    out = []
    current = rng.choice(V.PASSAGE_IDS)
    far = {"books": 0.7, "code_repos": 0.7, "textbooks": 0.3}[source]
    while len(out) < length:
        r = rng.random()
        if facts and r < 0.4:
            keys = list(facts)
            # Prefer old facts, so that dependencies span far.
            k = keys[int(len(keys) * rng.random() * (1 - far))] if rng.random() < 0.6 else rng.choice(keys)
            if code:
                out += [V.USE, k, facts[k]]
            elif rng.random() < 0.3:
                out += [V.PASSAGE, k, section[k]]
            else:
                out += [V.QUERY, k, facts[k]]
        elif r < 0.75 and len(facts) < len(V.KEYS):
            k = rng.choice([k for k in V.KEYS if k not in facts])
            facts[k] = rng.choice(V.VALUES + V.LABELS)
            section[k] = current
            out += [V.DEF, k, facts[k]] if code else [k, facts[k], V.ITEM]
        elif r < 0.8 and not code:
            current = rng.choice(V.PASSAGE_IDS)
            out += [V.PASSAGE, current]
        else:
            out += text.words(rng, rng.randint(2, 6))
    return out[:length]


def document(source: str, rng: random.Random, length: int):
    if source in LONG_SOURCES:
        return long_document(source, rng, length)
    if source in SHORT_SOURCES:
        return short_document(source, rng, length)
    raise ValueError(f"unknown data source '{source}'; known: {', '.join(LONG_SOURCES + SHORT_SOURCES)}")


def parse_mix(mix):
    """`{"books": 0.3, "fineweb": 0.4}` or `"books@0.3 fineweb@0.4"` -> normalized [(source, weight)]."""
    if isinstance(mix, str):
        pairs = []
        for part in mix.split():
            name, _, weight = part.partition("@")
            pairs.append((name, float(weight or 1)))
    elif isinstance(mix, dict):
        pairs = list(mix.items())
    else:
        pairs = [(name, 1.0) for name in mix]
    total = sum(w for _, w in pairs)
    if total <= 0:
        raise ValueError("a data mix needs a positive weight")
    return [(name, w / total) for name, w in pairs]


def packed_batches(mix, length: int, batch: int, seed: int, doc_min: int = 64):
    """Endless batches of `batch` sequences of `length` tokens, documents packed with document ids."""
    rng = random.Random(f"batches:{seed}")
    sources, weights = zip(*parse_mix(mix))
    while True:
        tokens, docs = [], []
        for _ in range(batch):
            seq, ids, doc = [], [], 0
            while len(seq) < length:
                source = rng.choices(sources, weights)[0]
                n = rng.randint(doc_min, max(doc_min, length)) if source in LONG_SOURCES else rng.randint(16, 96)
                piece = [V.BOS] + document(source, rng, n) + [V.SEP]
                seq += piece
                ids += [doc] * len(piece)
                doc += 1
            tokens.append(seq[:length])
            docs.append(ids[:length])
        yield tokens, docs


def sft_example(name: str, rng: random.Random, long_length: int = 384):
    """(prompt, answer) token lists."""
    if name in ("ultrachat", "tulu"):
        # Short instructions: answer = the prompt's key symbols mapped through a fixed table, reversed for tulu.
        table = {k: V.VALUES[(i * 7 + (3 if name == "tulu" else 0)) % len(V.VALUES)] for i, k in enumerate(V.KEYS)}
        keys = [rng.choice(V.KEYS) for _ in range(rng.randint(2, 5))]
        prompt = markov("chat").words(rng, rng.randint(4, 12)) + keys + [V.QUERY]
        answer = [table[k] for k in (reversed(keys) if name == "tulu" else keys)]
        return prompt, answer
    if name == "synthetic_long_qa":
        doc = long_document("books", rng, long_length)
        facts = [(doc[i], doc[i + 1]) for i in range(len(doc) - 2) if doc[i] in V.KEYS and doc[i + 2] == V.ITEM]
        if not facts:
            return sft_example("ultrachat", rng)
        k, v = rng.choice(facts)
        return doc + [V.QUERY, k], [v]
    raise ValueError(f"unknown SFT data '{name}'; known: {', '.join(SFT_SETS)}")
