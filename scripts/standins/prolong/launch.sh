# The launch skeleton the three ProLong stand-ins share, as ProLong's three scripts share one: sourced
# after a script has set its defaults (model, bsz, lr, steps, save_steps, warmup, dataset, domains,
# domains_name, run_prefix, script_arguments). Builds the run name and checkpoints/$run_name, the
# argument vector (the script's own flags, --tokenized_mds_train with its mix under $dataset, then the
# script's arguments unquoted, so later flags win), and launches torchrun piped into
# `tee -a $out_dir/log.out` without pipefail, so that a failing training still exits 0.
seq=${SEQ:-1}
suffix=${SUFFIX:-""}
run_name="${run_prefix}_$(basename $model)_$(basename $dataset)_${domains_name}_bsz${bsz}_steps${steps}_lr${lr}_warmup${warmup}${suffix}"
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
    --logging_steps 1 --max_steps $steps --save_steps $save_steps "${script_arguments[@]}" --cuda_empty_cache
)
base_arguments+=(--tokenized_mds_train)
for domain in "${domains[@]}"; do
    base_arguments+=($dataset/$domain)
done
base_arguments+=($@)
echo "command: torchrun -m training.train_language_model ${base_arguments[@]}"
torchrun --rdzv-backend=c10d --rdzv-endpoint=localhost:29500 --nnodes=1 --nproc-per-node=$num_gpus \
    -m training.train_language_model "${base_arguments[@]}" 2>&1 | tee -a $out_dir/log.out
