import random
from collections import Counter

import pytest

from minilm import data
from minilm import vocab as V


def test_documents_are_deterministic_per_seed():
    for source in data.LONG_SOURCES + data.SHORT_SOURCES:
        a = data.document(source, random.Random(7), 300)
        b = data.document(source, random.Random(7), 300)
        c = data.document(source, random.Random(8), 300)
        assert a == b
        assert a != c
        assert len(a) == 300
        assert all(0 <= t < V.VOCAB_SIZE for t in a)


def test_batches_are_deterministic_and_packed_with_document_ids():
    first = next(data.packed_batches("books@0.5 fineweb@0.5", 256, 4, seed=3))
    second = next(data.packed_batches("books@0.5 fineweb@0.5", 256, 4, seed=3))
    assert first == second
    tokens, docs = first
    assert [len(row) for row in tokens] == [256] * 4
    assert all(row == sorted(row) for row in docs)  # document ids increase along a sequence


def test_mix_proportions_within_tolerance():
    rng = random.Random(0)
    mix = data.parse_mix("books@0.6 fineweb@0.3 wikipedia@0.1")
    sources, weights = zip(*mix)
    counts = Counter(rng.choices(sources, weights)[0] for _ in range(20000))
    for name, weight in mix:
        assert abs(counts[name] / 20000 - weight) < 0.015


def test_parse_mix_accepts_strings_maps_and_lists():
    assert data.parse_mix("a@1 b@3") == [("a", 0.25), ("b", 0.75)]
    assert data.parse_mix({"a": 2, "b": 2}) == [("a", 0.5), ("b", 0.5)]
    assert data.parse_mix(["a", "b"]) == [("a", 0.5), ("b", 0.5)]
    with pytest.raises(ValueError):
        data.parse_mix("a@0")


def _recall_distances(doc):
    """For each `? k v` (or `use k v`), the distance back to where k was defined."""
    defined, distances = {}, []
    for i, token in enumerate(doc):
        if token in V.KEYS and i + 2 < len(doc) and doc[i + 2] == V.ITEM:
            defined.setdefault(token, i)
        if token == V.DEF and i + 1 < len(doc):
            defined.setdefault(doc[i + 1], i + 1)
        if token in (V.QUERY, V.USE, V.PASSAGE) and i + 1 < len(doc) and doc[i + 1] in defined:
            distances.append(i + 1 - defined[doc[i + 1]])
    return distances


def test_long_sources_have_long_range_dependencies_and_short_ones_none():
    for source in data.LONG_SOURCES:
        distances = [d for seed in range(20) for d in _recall_distances(data.document(source, random.Random(seed), 1024))]
        assert len(distances) > 200
        assert max(distances) > 500
        assert sum(distances) / len(distances) > 100
    books = [d for s in range(20) for d in _recall_distances(data.document("books", random.Random(s), 1024))]
    textbooks = [d for s in range(20) for d in _recall_distances(data.document("textbooks", random.Random(s), 1024))]
    assert sum(books) / len(books) > sum(textbooks) / len(textbooks)
    for source in data.SHORT_SOURCES:
        doc = data.document(source, random.Random(1), 1024)
        assert _recall_distances(doc) == []
        assert all(t in V.WORDS for t in doc)


def test_recalled_values_match_their_definitions():
    doc = data.document("books", random.Random(5), 2048)
    facts = {doc[i]: doc[i + 1] for i in range(len(doc) - 2) if doc[i] in V.KEYS and doc[i + 2] == V.ITEM}
    answers = [(doc[i + 1], doc[i + 2]) for i in range(len(doc) - 2) if doc[i] == V.QUERY]
    assert answers
    assert all(facts[k] == v for k, v in answers)


def test_sft_examples():
    rng = random.Random(0)
    for name in data.SFT_SETS:
        prompt, answer = data.sft_example(name, rng)
        assert prompt and answer
        assert all(t in V.VALUES + V.LABELS for t in answer)
    with pytest.raises(ValueError):
        data.sft_example("nope", rng)
