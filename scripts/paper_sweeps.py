#!/usr/bin/env python3
"""Writes sweeps/*.yaml, the ProLong paper's ablations, from one description of the stages they share.

Every paper sweep runs the same stages (ProLong's train_64K.sh, train_sft.sh, HELMET's eval.py per task
at 32K and 64K, HELMET's GPT-4o judge, the collect_results step, lm-eval on the pre-SFT checkpoint) and
differs only in its parameters. Writing them from one place keeps the stages byte-identical across
sweeps, so that a configuration two sweeps share (the 60/40 code repos + books mix, RoPE 8M, masking on,
seed 1 is in six of them) has one job key and is trained once for all of them.

HELMET's evaluations are read from its *_short.yaml configs (the datasets, test and demonstration files,
input and generation lengths of each entry), keeping the entries at the paper's lengths. By default they
come from the stand-in's copies (scripts/standins/helmet/configs, which hold HELMET's values); pass
--helmet-configs $HELMET_DIR/configs to read a checkout's.

    python3 scripts/paper_sweeps.py            # rewrite sweeps/*.yaml
    python3 scripts/paper_sweeps.py --check    # exit 1 if a file differs from what this writes
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LENGTHS = [32768, 65536]
TASKS = ["recall", "rag", "rerank", "icl", "longqa", "summ"]
DATA_64K = "datasets/long-context-65536"
DATA_512K = "datasets/long-context-524288"
SHORT_MIX = ("fineweb-edu@0.1 fineweb-2023-50@0.1 stackexchange@0.04 dolmawiki@0.04 tuluv2@0.03 arxiv@0.03 "
             "openwebmath@0.03 textbooks@0.03")
LONG_MIX = "thestackv1_concat_by_repo-65536@0.3 book-65536@0.3"
GPU = '{gpus: 8, cpus: 64, mem: 800G, time: "1-12:00:00", partition: pli}'
EVAL_GPU = '{gpus: 1, cpus: 8, mem: 100G, time: "8:00:00", partition: pli}'


def read_config(path):
    """HELMET's flat `key: value` config, as arguments.py loads it."""
    values = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].rstrip()
            if ":" in line:
                key, value = line.split(":", 1)
                values[key.strip()] = value.strip().strip("'\"")
    return values


def helmet_entries(configs, task):
    """The config's entries at the paper's lengths, as (dataset, test file, demo file, length, generation)."""
    config = read_config(os.path.join(configs, f"{task}_short.yaml"))
    columns = [config[k].split(",") for k in
               ("datasets", "test_files", "demo_files", "input_max_length", "generation_max_length")]
    return [row for row in zip(*columns) if int(row[3]) in LENGTHS]


def eval_stage(configs, task):
    entries = helmet_entries(configs, task)
    lists = ["--" + flag + " " + ",".join(row[i] for row in entries) for i, flag in
             enumerate(["datasets", "test_files", "demo_files", "input_max_length", "generation_max_length"])]
    produces = ", ".join(f'"helmet/{row[0]}_v1_*_in{row[3]}_*_42.json"' for row in entries)
    judged = task in ("longqa", "summ")
    lines = [
        f"  eval_{task}:",
        "    after: [sft]",
        f"    resources: {EVAL_GPU}",
        "    retries: 1",
        "    repo: $HELMET_DIR",
        f'    requires: {{env: [HELMET_DIR], paths: ["$HELMET_DIR/eval.py", "$HELMET_DIR/configs/{task}_short.yaml", "$HELMET_DIR/data"]}}',
        f"    produces: [{produces}]",
        "    run: >-",
        f'      cd "$HELMET_DIR" && python eval.py --config configs/{task}_short.yaml --model_name_or_path {{sft.output}}',
        "      --output_dir {output}/helmet --tag v1 --seed 42",
    ] + ["      " + item for item in lists]
    if judged:
        lines.insert(1, "    # Judged by the GPT-4o stage below; scored in `helmet` from the judge's files.")
    return lines


def judge_stage():
    return [
        "  judge:",
        "    # HELMET's GPT-4o judge, where the paper uses it: NarrativeQA (LongQA) and both summarisation sets.",
        "    # Its scripts judge output/<model>/ under the working directory and write -gpt4eval_o.json",
        "    # beside each file; the job links the files in, so nothing is written into the eval jobs.",
        "    after: [eval_longqa, eval_summ]",
        '    resources: {cpus: 2, mem: 8G, time: "4:00:00"}',
        "    retries: 2",
        "    requires:",
        "      env: [HELMET_DIR, OPENAI_API_KEY]",
        '      paths: ["$HELMET_DIR/scripts/eval_gpt4_longqa.py", "$HELMET_DIR/scripts/eval_gpt4_summ.py"]',
        '    produces: ["output/helmet/narrativeqa_*-gpt4eval_o.json", "output/helmet/infbench_sum_eng_*-gpt4eval_o.json",',
        '      "output/helmet/multi_lexsum_*-gpt4eval_o.json"]',
        "    run: >-",
        "      mkdir -p {output}/output/helmet && cd {output}/output/helmet &&",
        "      ln -sf {eval_longqa.output}/helmet/narrativeqa_*_v1_*_42.json {eval_summ.output}/helmet/*_v1_*_42.json . &&",
        '      cd {output} && python "$HELMET_DIR/scripts/eval_gpt4_longqa.py" --model_to_check helmet --tag v1 &&',
        '      python "$HELMET_DIR/scripts/eval_gpt4_summ.py" --model_to_check helmet --tag v1',
    ]


def helmet_stage():
    stages = ", ".join(f"eval_{t}" for t in TASKS)
    links = " ".join(f"{{eval_{t}.output}}/helmet/*" for t in TASKS)
    return [
        "  helmet:",
        "    # HELMET's collect_results.py step: every result of the model in one folder, scored together",
        "    # (the categories, and helmet_avg over them), with the judge's files for LongQA and Summ.",
        f"    after: [{stages}, judge]",
        "    produces: [helmet]",
        "    collect: [{helmet: helmet/, lengths: [32768, 65536]}]",
        "    run: >-",
        f"      mkdir -p {{output}}/helmet && cd {{output}}/helmet && ln -sf {links}",
        "      {judge.output}/output/helmet/*-gpt4eval_o.json .",
    ]


def short_eval_stage(upstream):
    return [
        "  short_eval:",
        f"    # The short tasks on the pre-SFT checkpoint ({{{upstream}.output}}), as the paper reports them; each",
        "    # task with the harness's default number of shots.",
        f"    after: [{upstream}]",
        f"    resources: {EVAL_GPU.replace('8:00:00', '4:00:00')}",
        "    retries: 1",
        '    produces: ["lm-eval/*/results_*.json"]',
        "    collect: [{lm-eval: lm-eval/}]",
        "    run: >-",
        f"      lm_eval --model hf --model_args pretrained={{{upstream}.output}},dtype=bfloat16",
        "      --tasks hellaswag,mmlu,arc_challenge,winogrande,gsm8k --batch_size auto --output_path {output}/lm-eval",
    ]


def mix_loop(root, *names):
    words = " ".join("$" + n.upper() for n in names)
    return (f'for d in {words}; do MIX="$MIX $PROLONG_DIR/{root}/$d"; done &&')


def pretrain_stage(data_paths):
    paths = ",\n        ".join(f'"$PROLONG_DIR/{p}"' for p in data_paths)
    return [
        "  pretrain:",
        "    # ProLong's train_64K.sh, run from the job's own directory (its log.out and wandb/ land there) with",
        "    # the checkout on PYTHONPATH for `torchrun -m training.train_language_model`; under pipefail, so a",
        "    # failing torchrun fails the job instead of exiting with tee's 0. Flags after the script's own",
        "    # win: --output_dir, and the mix as --tokenized_mds_train streams (replacing the script's list).",
        "    uses: [model, long_data, short_data, bsz, lr, steps, save, warmup, rope_theta, doc_mask, num_gpus, seed]",
        f"    resources: {GPU}",
        "    retries: 2",
        "    repo: $PROLONG_DIR",
        "    requires:",
        "      env: [PROLONG_DIR]",
        '      paths: ["$PROLONG_DIR/train_64K.sh", "$PROLONG_DIR/training/train_language_model.py",',
        f"        {paths}]",
        "    produces: [config.json, model.safetensors.index.json, train_results.json]",
        '    collect: [{hf-trainer: ., tokens_per_step: "{params.bsz} * 65536"}]',
        "    run: >-",
        "      cd {output} && LONG={params.long_data} && SHORT={params.short_data} && MIX= && set -f &&",
        "      " + mix_loop(DATA_64K, "long", "short"),
        '      PYTHONPATH="$PROLONG_DIR${PYTHONPATH:+:$PYTHONPATH}" MODEL={params.model} BSZ={params.bsz} LR={params.lr}',
        "      STEPS={params.steps} SAVE={params.save} WARMUP={params.warmup} NUM_GPUS={params.num_gpus} NUM_NODES=1",
        '      SUFFIX=_$ABLATE_JOB_ID bash -o pipefail "$PROLONG_DIR/train_64K.sh" --output_dir {output} --seed {params.seed}',
        "      --config_overrides rope_theta={params.rope_theta} $(test {params.doc_mask} = true || echo --single_seq)",
        "      --tokenized_mds_train $MIX",
    ]


def extend_stage(data_paths):
    paths = ",\n        ".join(f'"$PROLONG_DIR/{p}"' for p in data_paths)
    return [
        "  extend:",
        "    # Continues the 64K job at train_length, resuming from its final model as ProLong's README does for",
        "    # 512K, without touching that job's directory: init/ links its files except trainer_state.json (so",
        "    # the step count and LR schedule start afresh) plus the optimizer state of its last checkpoint. A",
        "    # requeued job resumes from its own newest checkpoint-N instead (an explicit",
        "    # --resume_from_checkpoint always beats the Trainer's own auto-resume).",
        "    after: [pretrain]",
        "    uses: [train_length, train_script, ext_data, ext_long_data, ext_short_data, bsz, lr, ext_steps, ext_save, warmup, ext_rope_theta, num_gpus, seed]",
        f"    resources: {GPU}",
        "    retries: 2",
        "    repo: $PROLONG_DIR",
        "    requires:",
        "      env: [PROLONG_DIR]",
        '      paths: ["$PROLONG_DIR/train_64K.sh", "$PROLONG_DIR/train_512K.sh",',
        f"        {paths}]",
        "    produces: [config.json, model.safetensors.index.json, train_results.json]",
        '    collect: [{hf-trainer: ., tokens_per_step: "{params.bsz} * 65536"}]',
        "    run: >-",
        "      cd {output} && mkdir -p init && for f in {pretrain.output}/*; do case ${f##*/} in",
        '      trainer_state.json|checkpoint-*|checkpoints|wandb) ;; *) ln -sfn "$f" init/ ;; esac; done &&',
        "      LAST=$(cd {pretrain.output} && ls -d checkpoint-* | sort -t- -k2 -n | tail -n 1) &&",
        '      for f in {pretrain.output}/"$LAST"/optimizer.*; do ln -sfn "$f" init/; done &&',
        "      SAVED=$(ls -d checkpoint-* 2>/dev/null | sort -t- -k2 -n | tail -n 1) &&",
        '      RESUME={output}/init && if [ -n "$SAVED" ]; then RESUME={output}/$SAVED; fi &&',
        "      LONG={params.ext_long_data} && SHORT={params.ext_short_data} && MIX= && set -f &&",
        '      for d in $LONG $SHORT; do MIX="$MIX $PROLONG_DIR/"{params.ext_data}"/$d"; done &&',
        '      PYTHONPATH="$PROLONG_DIR${PYTHONPATH:+:$PYTHONPATH}" MODEL={pretrain.output} BSZ={params.bsz} LR={params.lr}',
        "      STEPS={params.ext_steps} SAVE={params.ext_save} WARMUP={params.warmup} NUM_GPUS={params.num_gpus} NUM_NODES=1",
        '      SUFFIX=_$ABLATE_JOB_ID bash -o pipefail "$PROLONG_DIR/"{params.train_script} --output_dir {output}',
        '      --seed {params.seed} --resume_from_checkpoint "$RESUME" --config_overrides rope_theta={params.ext_rope_theta}',
        "      --tokenized_mds_train $MIX",
    ]


def sft_stage(upstream, sft_paths):
    paths = ", ".join(f'"$PROLONG_DIR/datasets/{p}"' for p in sft_paths)
    return [
        "  sft:",
        "    # ProLong's train_sft.sh (its own BSZ 64, LR 2e-5, instruct masks), from the job's directory as",
        "    # pretrain; its hard-coded UltraChat stream is replaced by the sft_data streams.",
        f"    after: [{upstream}]",
        "    uses: [sft_data, sft_steps, num_gpus]",
        f"    resources: {GPU.replace('1-12:00:00', '12:00:00')}",
        "    retries: 1",
        "    repo: $PROLONG_DIR",
        f'    requires: {{env: [PROLONG_DIR], paths: ["$PROLONG_DIR/train_sft.sh", {paths}]}}',
        "    produces: [config.json, model.safetensors.index.json, train_results.json]",
        '    collect: [{hf-trainer: ., tokens_per_step: "64 * 65536"}]',
        "    run: >-",
        "      cd {output} && DATA={params.sft_data} && MIX= && set -f && " + mix_loop("datasets", "data"),
        f'      PYTHONPATH="$PROLONG_DIR${{PYTHONPATH:+:$PYTHONPATH}}" MODEL={{{upstream}.output}} STEPS={{params.sft_steps}}',
        "      NUM_GPUS={params.num_gpus} NUM_NODES=1 SUFFIX=_$ABLATE_JOB_ID",
        '      bash -o pipefail "$PROLONG_DIR/train_sft.sh" --output_dir {output} --tokenized_mds_train $MIX',
    ]


METRICS = """metrics:
  recall: {goal: max, label: Recall}
  rag: {goal: max, label: RAG}
  rerank: {goal: max, label: Re-rank}
  icl: {goal: max, label: ICL}
  longqa: {goal: max, label: LongQA}
  summ: {goal: max, label: Summ.}
  helmet_avg: {goal: max, label: HELMET avg.}
  hellaswag: {goal: max, label: HellaS.}
  mmlu: {goal: max, label: MMLU}
  arc_challenge: {goal: max, label: ARC-c}
  winogrande: {goal: max, label: WG}
  gsm8k: {goal: max, label: GSM8K}
"""

BEFORE = """#
# Before it runs (`ablate plan` and `ablate run` check these, name what is missing and exit 2):
#   $PROLONG_DIR    a checkout of princeton-nlp/ProLong, its Python environment active where jobs run, with
#                   the released data cloned under it as its README does:
#                     princeton-nlp/prolong-data-64K       into datasets/long-context-65536
{extra_data}#                     princeton-nlp/prolong-ultrachat-64K  into datasets/prolong-ultrachat-64K
#   $HELMET_DIR     a checkout of princeton-nlp/HELMET with its data (bash scripts/download_data.sh)
#   OPENAI_API_KEY  for HELMET's GPT-4o judge of LongQA and Summ. (from the environment; never in a spec)
#   lm_eval         lm-evaluation-harness installed where jobs run (not checked before the run)
# Every path holds no spaces: ProLong's scripts word-split them. docs/prolong.md: step by step, and cost.
"""

SETTING = """# The ProLong ablation setting (Gao et al., 2024): Llama-3-8B, 64K training length, 5B tokens
# (steps x batch x length = 1192 x 64 x 65536), 60% long (code repos + books) / 40% ShortMix, RoPE base 8M,
# document masking, then UltraChat SFT (train_sft.sh's 250 steps, 1B tokens), then HELMET at 32K and 64K
# after SFT and the short tasks before it.
"""

BASE = dict(model="meta-llama/Meta-Llama-3-8B", long_data=LONG_MIX, short_data=SHORT_MIX, bsz=64, lr="1e-5",
            steps=1192, save=298, warmup=0.1, rope_theta=8000000, doc_mask='"true"', num_gpus=8,
            sft_data="ultrachat", sft_steps=250)

SFT_PRESETS = {"ultrachat": "prolong-ultrachat-64K@1.0"}

EVALUATION_NOTE = """# Evaluation: one HELMET job per task (a stage each: they run in parallel on one GPU each, a failed task
# is retried alone, and the GPT-4o judge waits only for the two tasks it judges), each passing eval.py the
# entries of HELMET's configs/<task>_short.yaml at the paper's 32K and 64K only (the configs also hold
# 8K and 16K: twice the compute). `helmet` then scores them together as collect_results.py does.
"""


def quote(value):
    text = str(value)
    if text == "":
        return '""'
    if text.startswith('"'):
        return text
    if any(c in text for c in " :#{}[],&*!|>'%@`") or text in ("true", "false", "yes", "no"):
        return '"' + text.replace('"', '\\"') + '"'
    return text


def sweep(configs, name, title, description, params, grid, *, presets=None, zips=None, notes="", extra_data="",
          sft_paths=("prolong-ultrachat-64K",), data_paths=None, extend=None, include=None):
    values = dict(BASE)
    values.update(params)
    for axis in list(grid) + [k for z in (zips or []) for k in z]:
        values.pop(axis, None)
    out = [f"# {title}", SETTING + BEFORE.format(extra_data=extra_data) + notes + EVALUATION_NOTE.rstrip("\n")]
    out.append(f"sweep: {name}")
    out.append(f"description: {quote(description)}")
    out.append("")
    out.append("params:")
    out += [f"  {k}: {quote(v)}" for k, v in values.items()]
    presets = dict(presets or {})
    presets.setdefault("sft_data", SFT_PRESETS)
    if presets:
        out += ["", "presets:"]
        for param, table in presets.items():
            out.append(f"  {param}:")
            out += [f"    {quote(label)}: {quote(value)}" for label, value in table.items()]
    if zips:
        out += ["", "zip:"]
        for group in zips:
            first = True
            for key, items in group.items():
                out.append(("  - " if first else "    ") + f"{key}: [{', '.join(quote(i) for i in items)}]")
                first = False
    out += ["", "grid:"]
    out += [f"  {k}: [{', '.join(quote(i) for i in v)}]" for k, v in grid.items()]
    if include:
        out += ["", "include:"]
        out += ["  - {" + ", ".join(f"{k}: {quote(v)}" for k, v in point.items()) + "}" for point in include]
    out += ["", "stages:"]
    stages = pretrain_stage(data_paths or default_data_paths())
    upstream = "pretrain"
    if extend:
        stages += extend_stage(extend)
        upstream = "extend"
    stages += sft_stage(upstream, sft_paths)
    for task in TASKS:
        stages += eval_stage(configs, task)
    stages += judge_stage() + helmet_stage() + short_eval_stage(upstream)
    out += stages
    out += ["", METRICS.rstrip("\n")]
    return "\n".join(out) + "\n"


def default_data_paths(*extra):
    domains = ["thestackv1_concat_by_repo-65536", "book-65536", "fineweb-edu", "fineweb-2023-50", "stackexchange",
               "dolmawiki", "tuluv2", "arxiv", "openwebmath", "textbooks"] + list(extra)
    return [f"{DATA_64K}/{d}" for d in domains]


def short(scale):
    """ShortMix scaled to a share of the mix (its proportions times `scale`), without zero streams."""
    parts = []
    for item in SHORT_MIX.split():
        domain, p = item.split("@")
        value = round(float(p) * scale, 4)
        if value:
            parts.append(f"{domain}@{value:g}")
    return " ".join(parts)


def sweeps(configs):
    files = {}
    files["document-masking"] = sweep(
        configs, "document-masking", "Cross-document attention masking on packed sequences.",
        "Document masking on (ProLong's default) versus off (--single_seq).", {}, {"doc_mask": ['"true"', '"false"'],
                                                                                  "seed": [1, 2, 3]})
    files["long-data-source"] = sweep(
        configs, "long-data-source", "Long-data source: code repositories, books, both, or textbooks.",
        "Which long data to continue pre-training on, at 60% long / 40% ShortMix.", {},
        {"long_data": ["code_repos", "books", "code_repos+books"], "seed": [1, 2]},
        presets={
            "long_data": {"code_repos": "thestackv1_concat_by_repo-65536@0.6", "books": "book-65536@0.6",
                          "code_repos+books": LONG_MIX, "textbooks": "textbooks@0.63"},
            "short_data": {"ShortMix-textbooks": SHORT_MIX.replace(" textbooks@0.03", "")},
        },
        include=[{"long_data": "textbooks", "short_data": "ShortMix-textbooks", "seed": seed} for seed in (1, 2)],
        notes="# The textbooks arm trains on the 64K release's `textbooks` folder (there is no textbooks-65536); a\n"
              "# folder may feed one stream only, so ShortMix's 3% of textbooks joins that arm's 60% (0.63) and\n"
              "# its short part is ShortMix without textbooks.\n")
    files["long-short-ratio"] = sweep(
        configs, "long-short-ratio", "Ratio of long data (code repos + books, 1:1) to ShortMix.",
        "The share of long data in continued pre-training, from 20% to 100%.", {}, {"seed": [1]},
        presets={
            "long_data": {f"long{p}": f"thestackv1_concat_by_repo-65536@{p / 200:g} book-65536@{p / 200:g}"
                          for p in (20, 40, 60, 80, 100)},
            "short_data": {f"short{100 - p}": short((100 - p) / 40) for p in (20, 40, 60, 80, 100)},
        },
        zips=[{"long_data": ["long20", "long40", "long60", "long80", "long100"],
               "short_data": ["short80", "short60", "short40", "short20", "short0"]}],
        notes="# Long and short shares vary together (each long share with ShortMix scaled to the rest); the 100%\n"
              "# arm has no short streams (`short0` is empty).\n")
    files["rope-base"] = sweep(
        configs, "rope-base", "RoPE frequency base for 64K continued pre-training.",
        "rope_theta from Llama-3's 500K up to 16M (train_64K.sh's own is 8M).", {},
        {"rope_theta": [500000, 2000000, 8000000, 16000000], "seed": [1]})
    files["sft-data"] = sweep(
        configs, "sft-data", "SFT dataset after the same continued pre-training.",
        "UltraChat vs Tulu-v2 vs ShareGPT; all SFT variants share one pretrain job per seed.", {},
        {"seed": [1, 2], "sft_data": ["ultrachat", "tulu-v2", "sharegpt"]},
        presets={"sft_data": {"ultrachat": "prolong-ultrachat-64K@1.0", "tulu-v2": "tulu-v2-64K@1.0",
                              "sharegpt": "sharegpt-64K@1.0"}},
        sft_paths=("prolong-ultrachat-64K", "tulu-v2-64K", "sharegpt-64K"),
        notes="# Prepared by hand: ProLong releases only its UltraChat SFT data. Tokenize and pack Tulu-v2 and\n"
              "# ShareGPT into 64K sequences with instruction masks (the `mask` field train_sft.sh's\n"
              "# --apply_instruct_masks reads), in ProLong's MDS format (princeton-nlp/datatools `pack`), into\n"
              "# $PROLONG_DIR/datasets/tulu-v2-64K and $PROLONG_DIR/datasets/sharegpt-64K.\n")
    files["short-data-source"] = sweep(
        configs, "short-data-source", "Short-data source: ShortMix vs single short datasets.",
        "Which short data fills the 40% short part of the mix.", {},
        {"short_data": ["ShortMix", "FineWeb", "FineWeb-Edu", "Tulu-v2", "StackExchange"], "seed": [1]},
        presets={"short_data": {"ShortMix": SHORT_MIX, "FineWeb": "fineweb-2023-50@0.4",
                                "FineWeb-Edu": "fineweb-edu@0.4", "Tulu-v2": "tuluv2@0.4",
                                "StackExchange": "stackexchange@0.4"}},
)
    files["synthetic-sft-ratio"] = sweep(
        configs, "synthetic-sft-ratio", "Share of synthetic long instruction data in SFT.",
        "UltraChat mixed with synthetic long-document QA at increasing ratios; one shared pretrain job.", {},
        {"sft_data": ['"0%"', '"1%"', '"3%"', '"10%"', '"50%"'], "seed": [1]},
        presets={"sft_data": {"0%": "prolong-ultrachat-64K@1.0",
                              "1%": "prolong-ultrachat-64K@0.99 synthetic-long-qa-64K@0.01",
                              "3%": "prolong-ultrachat-64K@0.97 synthetic-long-qa-64K@0.03",
                              "10%": "prolong-ultrachat-64K@0.9 synthetic-long-qa-64K@0.1",
                              "50%": "prolong-ultrachat-64K@0.5 synthetic-long-qa-64K@0.5"}},
        sft_paths=("prolong-ultrachat-64K", "synthetic-long-qa-64K"),
        notes="# Prepared by hand: the synthetic long-document QA data is not released. Generate it as the paper\n"
              "# describes, pack it into 64K sequences with instruction masks in ProLong's MDS format\n"
              "# (princeton-nlp/datatools `pack`), into $PROLONG_DIR/datasets/synthetic-long-qa-64K.\n")
    files["training-length"] = sweep(
        configs, "training-length", "Training sequence length: 64K vs 512K, both evaluated up to 64K.",
        "After the same 5B tokens at 64K, 1B more at 64K or at 512K (ProLong's 512K script and data).",
        {"ext_short_data": SHORT_MIX, "ext_steps": 240, "ext_save": 120}, {"seed": [1, 2]},
        zips=[{"train_length": [65536, 524288], "train_script": ["train_64K.sh", "train_512K.sh"],
               "ext_data": [DATA_64K, DATA_512K],
               "ext_long_data": [LONG_MIX, "thestackv1_concat_by_repo-524288@0.3 book-524288@0.3"],
               "ext_rope_theta": [8000000, 128000000]}],
        extra_data="#                     princeton-nlp/prolong-data-512K      into datasets/long-context-524288\n",
        extend=[f"{DATA_512K}/{d}" for d in ["thestackv1_concat_by_repo-524288", "book-524288", "fineweb-edu",
                                             "fineweb-2023-50", "stackexchange", "dolmawiki", "tuluv2", "arxiv",
                                             "openwebmath", "textbooks"]],
        notes="# Both arms continue the same 64K job (the other sweeps' baseline) for 1B tokens: 240 steps of 64 x\n"
              "# 65536 tokens. A 512K step is 64 x 524288 / 8 tokens (sequence parallelism 8 shares each sequence\n"
              "# among 8 GPUs), the same 4.2M, so both arms take 240 steps. The 512K arm keeps train_512K.sh's\n"
              "# RoPE base (128M) and its 512K data, and uses the 64K arm's LR 1e-5 (train_512K.sh's own is 5e-6),\n"
              "# so that the arms differ in the length and the RoPE base it needs. train_length is a label; the\n"
              "# script sets --per_device_max_tokens.\n")
    return files


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--helmet-configs", default=os.path.join(ROOT, "scripts/standins/helmet/configs"))
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--out", default=os.path.join(ROOT, "sweeps"))
    args = parser.parse_args()
    stale = []
    for name, text in sweeps(args.helmet_configs).items():
        path = os.path.join(args.out, name + ".yaml")
        current = open(path).read() if os.path.exists(path) else None
        if args.check:
            if current != text:
                stale.append(path)
        elif current != text:
            with open(path, "w") as f:
                f.write(text)
    if stale:
        print("out of date (run python3 scripts/paper_sweeps.py): " + ", ".join(stale), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
