"""The 256-symbol vocabulary shared by every data source and task."""

PAD, BOS, SEP, KV, ITEM, QUERY, ANSWER, DEF, USE, PASSAGE = range(10)
KEYS = list(range(16, 48))          # 32 key symbols (entity names, identifiers)
VALUES = list(range(48, 80))        # 32 value symbols (attributes, definitions)
LABELS = list(range(80, 88))        # 8 labels for in-context classification
PASSAGE_IDS = list(range(88, 104))  # 16 passage identifiers for re-ranking
WORDS = list(range(104, 256))       # 152 filler "words" with local structure
VOCAB_SIZE = 256
