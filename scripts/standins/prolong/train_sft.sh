#!/bin/bash
# A stand-in for ProLong's train_sft.sh, for tests on machines without GPUs: the same environment
# variables and defaults, the same run name and checkpoints/$run_name folder, the same argument vector
# (the script's own flags, then --tokenized_mds_train with the default mix under $DATASET, then the
# script's arguments unquoted, so later flags win), the same torchrun launch piped into
# `tee -a $out_dir/log.out` without pipefail, so that a failing training still exits 0.
model=${MODEL:-"princeton-nlp/Llama-3-8B-ProLong-512k-Base"}
bsz=${BSZ:-64}
lr=${LR:-2e-5}
steps=${STEPS:-250}
save_steps=${SAVE:-250}
warmup=${WARMUP:-0.05}
dataset=${DATASET:-"datasets"}
domains=(
    prolong-ultrachat-64K@1.0
)
domains_name=ultrachat
run_prefix=sft
script_arguments=(--per_device_max_tokens 65536 --apply_instruct_masks --token_scaled_loss)
source "$(dirname "$0")/launch.sh"
