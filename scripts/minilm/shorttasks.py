"""Short tasks for the real lm-evaluation-harness: task YAMLs over JSON-lines data generated here, in the
shape of the paper's short tasks, on the synthetic sources.

  mini_hellaswag      multiple choice: which 6-word continuation follows a short web/wiki/forum text
                      (the true source's continuation against three from sources never trained on)
  mini_arc_challenge  multiple choice: a question about a fact stated a few words earlier, 4 values
  mini_gsm8k          generation until `;`: the answer extracted by a regex (strict-match), exact match

`lm_eval --model hf --model_args pretrained=DIR --tasks mini_hellaswag,... --include_path OUT` runs them
offline (`dataset_path: json` with local `data_files`).
"""
import json
import os
import random
import sys

from . import data
from . import vocab as V

SIZES = {"mini_hellaswag": 80, "mini_arc_challenge": 80, "mini_gsm8k": 40}
TASKS = list(SIZES)
_SHORT = ["fineweb", "wikipedia", "stackexchange"]
_UNSEEN = ["arxiv", "openwebmath", "tulu", "fineweb_edu"]


def hellaswag(rng):
    source = rng.choice(_SHORT)
    text = data.short_document(source, rng, 30)
    context, ending = text[:24], text[24:]
    wrong = [data.markov(other).words(rng, 6, start=rng.choice(data.markov(other).next[context[-1]]))
             for other in rng.sample(_UNSEEN, 3)]
    choices = [ending] + wrong
    rng.shuffle(choices)
    return {"query": V.text([V.BOS] + context), "choices": [V.text(c) for c in choices],
            "label": choices.index(ending), "source": source}


def _facts(rng, count):
    facts = [(k, rng.choice(V.VALUES)) for k in rng.sample(V.KEYS, count)]
    context = []
    for k, v in facts:
        context += data.short_document(rng.choice(_SHORT), rng, rng.randint(2, 5)) + [k, v, V.ITEM]
    return facts, context


def arc(rng):
    facts, context = _facts(rng, 4)
    k, v = rng.choice(facts)
    wrong = rng.sample([x for x in V.VALUES if x != v], 3)
    choices = [v] + wrong
    rng.shuffle(choices)
    return {"question": V.text([V.BOS] + context + [V.QUERY, k]), "choices": [V.NAMES[c] for c in choices],
            "label": choices.index(v)}


def gsm(rng):
    facts, context = _facts(rng, 6)
    k, v = rng.choice(facts)
    return {"question": V.text([V.BOS] + context + [V.QUERY, k]), "answer": V.NAMES[v]}


_MAKERS = {"mini_hellaswag": hellaswag, "mini_arc_challenge": arc, "mini_gsm8k": gsm}


def _yaml(task: str, path: str) -> str:
    head = (f"task: {task}\ndataset_path: json\ndataset_kwargs:\n  data_files:\n    test: {json.dumps(path)}\n"
            "test_split: test\n")
    if task == "mini_gsm8k":
        return head + (
            "output_type: generate_until\n"
            "doc_to_text: \"{{question}}\"\n"
            "doc_to_target: \"{{answer}}\"\n"
            "generation_kwargs:\n  until: [\";\", \"</s>\"]\n  do_sample: false\n  max_gen_toks: 4\n"
            "filter_list:\n"
            "  - name: strict-match\n    filter:\n"
            "      - {function: regex, regex_pattern: \"\\\\b([vL][0-9]+)\\\\b\"}\n      - {function: take_first}\n"
            "metric_list:\n  - {metric: exact_match, aggregation: mean, higher_is_better: true}\n"
            "metadata: {version: 1.0}\n")
    text = "{{query}}" if task == "mini_hellaswag" else "{{question}}"
    return head + (
        f"output_type: multiple_choice\ndoc_to_text: \"{text}\"\ndoc_to_target: \"{{{{label}}}}\"\n"
        "doc_to_choice: \"{{choices}}\"\n"
        "metric_list:\n  - {metric: acc, aggregation: mean, higher_is_better: true}\n"
        "  - {metric: acc_norm, aggregation: mean, higher_is_better: true}\n"
        "metadata: {version: 1.0}\n")


def write(out: str) -> None:
    """Writes OUT/TASK.yaml and OUT/TASK.jsonl for every task (the same files for the same code)."""
    out = os.path.abspath(out)
    os.makedirs(out, exist_ok=True)
    for task, size in SIZES.items():
        rng = random.Random(f"short-task:{task}")
        path = os.path.join(out, f"{task}.jsonl")
        with open(path + ".tmp", "w") as handle:
            for _ in range(size):
                handle.write(json.dumps(_MAKERS[task](rng)) + "\n")
        os.replace(path + ".tmp", path)
        with open(os.path.join(out, f"{task}.yaml"), "w") as handle:
            handle.write(_yaml(task, path))


def lm_eval_command(model_dir: str, tasks: str, out: str, device: str = "cpu", extra=()) -> list:
    """The `lm_eval` command line the sweeps run on these tasks (the venv's `lm_eval`, beside this Python),
    as an argument list: the model in `model_dir`, the task files `write` put in `tasks`, results in `out`."""
    return [os.path.join(os.path.dirname(sys.executable), "lm_eval"), "--model", "hf", "--model_args",
            f"pretrained={model_dir},dtype=float32", "--tasks", ",".join(TASKS), "--include_path", tasks,
            "--output_path", out, "--log_samples", "--device", device, "--batch_size", "16", *extra]
