"""A symbol-level tokenizer built offline with the `tokenizers` library and wrapped as a
`PreTrainedTokenizerFast`, saved beside every model so that any Hugging Face tool loads it."""
from tokenizers import Tokenizer, decoders, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast

from . import vocab as V


def build() -> PreTrainedTokenizerFast:
    """One token per symbol name, split on whitespace; decoding joins tokens with single spaces."""
    core = Tokenizer(models.WordLevel(vocab=dict(V.IDS), unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    core.decoder = decoders.WordPiece(prefix="##", cleanup=False)
    return PreTrainedTokenizerFast(
        tokenizer_object=core, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
        model_max_length=1 << 20)
