"""A small real trainer for the whole ProLong protocol on the Hugging Face stack, for Ablate's demo and
integration tests: a tiny `LlamaForCausalLM` trained by the HF Trainer (checkpoint-N/, trainer_state.json,
save_pretrained with a symbol-level tokenizer from the tokenizers library), evaluated in HELMET's output
format and by the real lm-evaluation-harness on local tasks.

Stages (each one command reading $ABLATE_CONFIG and writing into $ABLATE_OUTPUT_DIR):
  base      short-context pre-training of a fresh tiny Llama (the stand-in for Llama-3-8B)
  pretrain  continued pre-training from `base` on a data mix at `train_length`, document masking on
  sft       supervised fine-tuning on `sft_data`, loss on answers only
  eval      HELMET-format long tasks at each of `eval_lengths`
  tasks     lm-evaluation-harness task YAMLs over generated local data

Run as `python -m minilm STAGE`. Data are synthetic, generated deterministically from seeds; nothing is
downloaded.
"""
