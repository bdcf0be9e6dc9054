"""The symbol vocabulary shared by every data source and task, and the text spelling of each symbol.

Data are generated as symbol ids; the tokenizer (tokenizer.py) maps each symbol's name to its id, so text
written for lm-evaluation-harness ("<s> k3 v7 ; ? k3") and the ids the trainer packs are the same tokens.
"""

PAD, BOS, SEP, KV, ITEM, QUERY, ANSWER, DEF, USE, PASSAGE = range(10)
KEYS = list(range(16, 48))          # 32 key symbols (entity names, identifiers)
VALUES = list(range(48, 80))        # 32 value symbols (attributes, definitions)
LABELS = list(range(80, 88))        # 8 labels for in-context classification
PASSAGE_IDS = list(range(88, 104))  # 16 passage identifiers for re-ranking
WORDS = list(range(104, 256))       # 152 filler "words" with local structure
UNK = 256                           # the tokenizer's unknown token (never generated)
VOCAB_SIZE = 257

_SPECIAL = ["<pad>", "<s>", "</s>", "=", ";", "?", "->", "def", "use", "psg"]


def _name(symbol: int) -> str:
    if symbol < len(_SPECIAL):
        return _SPECIAL[symbol]
    if symbol < KEYS[0]:
        return f"r{symbol}"
    for prefix, group in (("k", KEYS), ("v", VALUES), ("L", LABELS), ("p", PASSAGE_IDS), ("w", WORDS)):
        if group[0] <= symbol <= group[-1]:
            return f"{prefix}{symbol - group[0]}"
    if symbol == UNK:
        return "<unk>"
    raise ValueError(f"no symbol {symbol}")


NAMES = [_name(symbol) for symbol in range(VOCAB_SIZE)]
IDS = {name: symbol for symbol, name in enumerate(NAMES)}


def text(symbols) -> str:
    """The text of a symbol sequence: names separated by single spaces."""
    return " ".join(NAMES[s] for s in symbols)
