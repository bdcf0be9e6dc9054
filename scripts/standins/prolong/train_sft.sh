#!/bin/bash
# A stand-in for ProLong's train_sft.sh, for tests on machines without GPUs: the same environment
# variables and defaults, the same run name and checkpoints/$run_name folder, the same argument vector
# (the script's own flags, then --tokenized_mds_train with the default mix under $DATASET, then the
# script's arguments unquoted, so later flags win), the same torchrun launch piped into
# `tee -a $out_dir/log.out` without pipefail, so that a failing training still exits 0.
model=${MODEL:-"princeton-nlp/Llama-3-8B-ProLong-512k-Base"}
bsz=${BSZ:-64}
seq=${SEQ:-1}
lr=${LR:-2e-5}
steps=${STEPS:-250}
save_steps=${SAVE:-250}
warmup=${WARMUP:-0.05}
suffix=${SUFFIX:-""}
dataset=${DATASET:-"datasets"}
domains=(
    prolong-ultrachat-64K@1.0
)
domains_name=ultrachat
run_name="sft_$(basename $model)_$(basename $dataset)_${domains_name}_bsz${bsz}_steps${steps}_lr${lr}_warmup${warmup}${suffix}"
out_dir="checkpoints/$run_name"
mkdir -p $out_dir
nvidia-smi
num_gpus=${NUM_GPUS:-$(nvidia-smi -L | wc -l)}
num_nodes=${NUM_NODES:-1}
accu=$(($bsz / $seq / $num_gpus / $num_nodes))
base_arguments=(
    --report_to wandb --do_train --model_name $model --tokenizer_name $model --run_name $run_name
    --output_dir $out_dir --gradient_accumulation_steps $accu --per_device_train_batch_size $seq
    --bf16 --learning_rate $lr --min_lr_ratio 0.1 --lr_scheduler_type cosine --warmup_ratio $warmup
    --logging_steps 1 --max_steps $steps --save_steps $save_steps --per_device_max_tokens 65536
    --apply_instruct_masks --token_scaled_loss --cuda_empty_cache
)
base_arguments+=(--tokenized_mds_train)
for domain in "${domains[@]}"; do
    base_arguments+=($dataset/$domain)
done
base_arguments+=($@)
echo "command: torchrun -m training.train_language_model ${base_arguments[@]}"
torchrun --rdzv-backend=c10d --rdzv-endpoint=localhost:29500 --nnodes=1 --nproc-per-node=$num_gpus \
    -m training.train_language_model "${base_arguments[@]}" 2>&1 | tee -a $out_dir/log.out
