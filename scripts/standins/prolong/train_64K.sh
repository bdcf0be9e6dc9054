#!/bin/bash
# A stand-in for ProLong's train_64K.sh, for tests on machines without GPUs: the same environment
# variables and defaults, the same run name and checkpoints/$run_name folder, the same argument vector
# (the script's own flags, then --tokenized_mds_train with the default mix under $DATASET, then the
# script's arguments unquoted, so later flags win), the same torchrun launch piped into
# `tee -a $out_dir/log.out` without pipefail, so that a failing training still exits 0.
model=${MODEL:-"meta-llama/Meta-Llama-3-8B-Instruct"}
bsz=${BSZ:-64}
lr=${LR:-1e-5}
steps=${STEPS:-5000}
save_steps=${SAVE:-125}
warmup=${WARMUP:-0.1}
dataset=${DATASET:-"datasets/long-context-65536"}
domains=(
    thestackv1_concat_by_repo-65536@0.3 book-65536@0.3 fineweb-edu@0.1 fineweb-2023-50@0.1 stackexchange@0.04
    dolmawiki@0.04 tuluv2@0.03 arxiv@0.03 openwebmath@0.03 textbooks@0.03
)
domains_name=ProLong64KMix
run_prefix=lcft
script_arguments=(--per_device_max_tokens 65536 --config_overrides "rope_theta=8000000")
source "$(dirname "$0")/launch.sh"
