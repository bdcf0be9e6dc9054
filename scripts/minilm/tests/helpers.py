"""Running stages as Ablate runs them: a config under .ablate/, the output directory, the environment."""
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "MINILM_DEVICE": "cpu", "MINILM_THREADS": "1"}


def environment(directory, checkpoint=None) -> dict:
    env = dict(os.environ, ABLATE_CONFIG=os.path.join(directory, ".ablate", "config.json"),
               ABLATE_OUTPUT_DIR=str(directory), PYTHONPATH=ROOT, HF_HOME=os.path.join(str(directory), "hf-home"),
               **OFFLINE)
    if checkpoint:
        env["ABLATE_CHECKPOINT"] = checkpoint
    return env


def start(stage, directory, params, inputs=None, checkpoint=None, extra=(), threads=1):
    os.makedirs(os.path.join(directory, ".ablate"), exist_ok=True)
    with open(os.path.join(directory, ".ablate", "config.json"), "w") as handle:
        json.dump({"params": params, "inputs": inputs or {}}, handle)
    env = dict(environment(directory, checkpoint), MINILM_THREADS=str(threads))
    return subprocess.Popen([sys.executable, "-m", "minilm", stage, *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=directory)


def run(stage, directory, params, inputs=None, checkpoint=None, extra=()):
    process = start(stage, directory, params, inputs, checkpoint, extra)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def state(directory) -> dict:
    with open(os.path.join(directory, "trainer_state.json")) as handle:
        return json.load(handle)


def results(directory) -> dict:
    with open(os.path.join(directory, "train_results.json")) as handle:
        return json.load(handle)


BASE = {"base_tokens": 40960, "base_length": 64}
PRETRAIN = {"long_data": "books@0.5 code_repos@0.5", "train_length": 256, "tokens": 61440, "batch_tokens": 1024,
            "save_every": 20, "rope_theta": 20000, "doc_mask": True, "seed": 1}
