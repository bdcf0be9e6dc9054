"""The model: a Hugging Face `LlamaForCausalLM` built from a tiny config (the stand-in for Llama-3-8B),
with its RoPE base set from the `rope_theta` parameter as the paper's runs set it."""
import os

from transformers import AutoConfig, AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM

from . import vocab as V

WIDTH, LAYERS, HEADS = 128, 2, 4


def config(rope_theta: float = 10000.0, max_positions: int = 4096) -> LlamaConfig:
    """The tiny Llama config. `use_cache` is off: with a cache, transformers does not build the
    block-diagonal mask that packed sequences with restarting position ids need (document masking)."""
    return LlamaConfig(
        vocab_size=V.VOCAB_SIZE, hidden_size=WIDTH, intermediate_size=WIDTH * 8 // 3, num_hidden_layers=LAYERS,
        num_attention_heads=HEADS, num_key_value_heads=HEADS, max_position_embeddings=max_positions,
        rope_theta=float(rope_theta), use_cache=False, tie_word_embeddings=False, bos_token_id=V.BOS,
        eos_token_id=V.SEP, pad_token_id=V.PAD, attn_implementation="sdpa")


def rope_theta_of(model_config) -> float:
    """The RoPE base of a config: transformers 5 keeps it under `rope_parameters`."""
    parameters = getattr(model_config, "rope_parameters", None) or {}
    return float(parameters.get("rope_theta", getattr(model_config, "rope_theta", 10000.0)))


def fresh(rope_theta: float) -> LlamaForCausalLM:
    return LlamaForCausalLM(config(rope_theta))


def load(directory: str, rope_theta=None):
    """A saved model (a job's output or a `checkpoint-N`), with its RoPE base changed when asked, as
    ProLong's `--config_overrides rope_theta=...` does."""
    if not os.path.isfile(os.path.join(directory, "config.json")):
        # Else transformers takes the path for a Hub repository name and fails with an unrelated message.
        raise SystemExit(f"no saved model in '{directory}' (it has no config.json): give a job's output or a "
                         "checkpoint-N directory, or run the stage that writes it first")
    model_config = AutoConfig.from_pretrained(directory)
    if rope_theta is not None:
        parameters = dict(getattr(model_config, "rope_parameters", None) or {"rope_type": "default"})
        parameters["rope_theta"] = float(rope_theta)
        model_config.rope_parameters = parameters
    model_config.use_cache = False
    return AutoModelForCausalLM.from_pretrained(directory, config=model_config, attn_implementation="sdpa")
