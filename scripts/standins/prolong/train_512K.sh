#!/bin/bash
# A stand-in for ProLong's train_512K.sh, for tests on machines without GPUs: the same environment
# variables and defaults, the same run name and checkpoints/$run_name folder, the same argument vector
# (the script's own flags, then --tokenized_mds_train with the default mix under $DATASET, then the
# script's arguments unquoted, so later flags win), the same torchrun launch piped into
# `tee -a $out_dir/log.out` without pipefail, so that a failing training still exits 0.
model=${MODEL:-"meta-llama/Meta-Llama-3-8B-Instruct"}
bsz=${BSZ:-128}
seq=${SEQ:-1}
lr=${LR:-5e-6}
steps=${STEPS:-2500}
save_steps=${SAVE:-125}
warmup=${WARMUP:-0.1}
suffix=${SUFFIX:-""}
dataset=${DATASET:-"datasets/long-context-524288"}
domains=(
    thestackv1_concat_by_repo-524288@0.15 thestackv1_concat_by_repo-65536@0.15 book-524288@0.05 book-65536@0.25
    fineweb-edu@0.1 fineweb-2023-50@0.1 stackexchange@0.04 dolmawiki@0.04 tuluv2@0.03 arxiv@0.03 openwebmath@0.03
    textbooks@0.03
)
domains_name=ProLong512KMix
run_name="lcft_$(basename $model)_$(basename $dataset)_${domains_name}_bsz${bsz}_steps${steps}_lr${lr}_warmup${warmup}${suffix}"
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
    --logging_steps 1 --max_steps $steps --save_steps $save_steps
    --resume_from_checkpoint path/to/the/root/64K/checkpoint/folder --per_device_max_tokens 524288
    --config_overrides "rope_theta=128000000" --seq_parallel_size 8 --cuda_empty_cache
)
base_arguments+=(--tokenized_mds_train)
for domain in "${domains[@]}"; do
    base_arguments+=($dataset/$domain)
done
base_arguments+=($@)
echo "command: torchrun -m training.train_language_model ${base_arguments[@]}"
torchrun --rdzv-backend=c10d --rdzv-endpoint=localhost:29500 --nnodes=1 --nproc-per-node=$num_gpus \
    -m training.train_language_model "${base_arguments[@]}" 2>&1 | tee -a $out_dir/log.out
