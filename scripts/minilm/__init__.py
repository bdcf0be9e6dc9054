"""A small real trainer for the whole ProLong protocol, for Ablate's demo and integration tests.

Stages (each one command reading $ABLATE_CONFIG and appending to $ABLATE_METRICS):
  base      short-context pre-training of a small GPT with RoPE (the stand-in for Llama-3-8B)
  pretrain  continued pre-training from `base` on a data mix at `train_length`
  sft       supervised fine-tuning on `sft_data`, loss on answers only
  eval      HELMET-like categories (recall, rag, icl, rerank) at each of `eval_lengths`, plus short tasks

Run as `python -m minilm STAGE`. Data are synthetic, generated deterministically from seeds; nothing is
downloaded.
"""
