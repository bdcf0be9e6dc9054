"""The training rows of each stage as map-style datasets: row `i` is the same for the same seed whatever
ran before, so a resumed run (which skips the rows it already trained on) sees exactly the data a run
without interruption would have seen."""
import random

import torch

from . import data
from . import vocab as V


class PackedRows(torch.utils.data.Dataset):
    """Rows of `length` tokens packed from documents of a data mix.

    With document masking, position ids restart at every document, which transformers turns into a
    block-diagonal causal mask (attention stays within each document), and the first token of each
    document is not predicted from the one before it. Without it, rows are plain causal sequences.
    """

    def __init__(self, mix, length: int, rows: int, seed: int, document_masking: bool):
        self.mix, self.length, self.rows, self.seed = mix, length, rows, seed
        self.document_masking = document_masking

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, index: int) -> dict:
        tokens, documents = next(data.packed_batches(self.mix, self.length, 1, seed=hash((self.seed, index)) & 0xFFFFFFFF))
        ids, docs = torch.tensor(tokens[0]), torch.tensor(documents[0])
        labels = ids.clone()
        if self.document_masking:
            starts = torch.ones_like(docs, dtype=torch.bool)
            starts[1:] = docs[1:] != docs[:-1]
            first = torch.nonzero(starts).flatten()
            offsets = torch.zeros_like(ids)
            offsets[first] = first
            positions = torch.arange(len(ids)) - torch.cummax(offsets, 0).values
            labels[starts] = -100
        else:
            positions = torch.arange(len(ids))
        return {"input_ids": ids, "labels": labels, "position_ids": positions}


class InstructionRows(torch.utils.data.Dataset):
    """SFT rows: an instruction and its answer, loss on the answer only, padded on the right."""

    def __init__(self, mix, length: int, rows: int, seed: int):
        self.length, self.rows, self.seed = length, rows, seed
        pairs = data.parse_mix(mix)
        self.names, self.weights = [n for n, _ in pairs], [w for _, w in pairs]

    def __len__(self) -> int:
        return self.rows

    def __getitem__(self, index: int) -> dict:
        rng = random.Random(f"sft:{self.seed}:{index}")
        prompt, answer = data.sft_example(rng.choices(self.names, self.weights)[0], rng, long_length=self.length - 16)
        sequence = ([V.BOS] + prompt + answer + [V.SEP])[-self.length:]
        answered = len(answer) + 1
        labels = [-100] * (len(sequence) - answered) + sequence[-answered:]
        pad = self.length - len(sequence)
        return {"input_ids": torch.tensor(sequence + [V.PAD] * pad), "labels": torch.tensor(labels + [-100] * pad),
                "position_ids": torch.arange(self.length)}


def collate(rows) -> dict:
    """Stacks rows; `use_cache=False` so that the packed rows' position ids become a document mask."""
    batch = {key: torch.stack([row[key] for row in rows]) for key in rows[0]}
    batch["use_cache"] = False
    return batch
