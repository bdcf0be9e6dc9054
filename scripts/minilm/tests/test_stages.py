import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def run_stage(stage, directory, params, inputs=None, wait=True):
    os.makedirs(directory, exist_ok=True)
    config = {"params": params, "inputs": inputs or {}, "output_dir": str(directory)}
    with open(os.path.join(directory, "config.json"), "w") as handle:
        json.dump(config, handle)
    environment = dict(os.environ, ABLATE_CONFIG=os.path.join(directory, "config.json"), ABLATE_OUTPUT_DIR=str(directory),
                       ABLATE_METRICS=os.path.join(directory, "metrics.jsonl"), PYTHONPATH=os.path.abspath(ROOT),
                       MINILM_DEVICE="cpu")
    process = subprocess.Popen([sys.executable, "-m", "minilm", stage], env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if not wait:
        return process
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    return output


def metrics(directory):
    with open(os.path.join(directory, "metrics.jsonl")) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_every_stage_end_to_end_quickly(tmp_path):
    start = time.time()
    base, pre, sft, ev = (str(tmp_path / name) for name in ("base", "pre", "sft", "eval"))
    run_stage("base", base, {"base_tokens": 40000, "base_length": 64, "seed": 0})
    run_stage("pretrain", pre, {"long_data": "books@0.5 code_repos@0.5", "train_length": 256, "tokens": 40000,
                                "rope_theta": 20000, "doc_mask": True, "seed": 1}, {"base": base})
    run_stage("sft", sft, {"sft_data": "ultrachat@0.8 synthetic_long_qa@0.2", "sft_tokens": 10000, "seed": 1},
              {"pretrain": pre})
    run_stage("eval", ev, {"eval_lengths": [128, 256]}, {"sft": sft})
    losses = [m["loss"] for m in metrics(base) if "step" in m]
    assert losses[-1] < losses[0]
    assert all("tokens_per_s" in m and "lr" in m for m in metrics(pre) if "step" in m)
    scores = metrics(ev)[-1]
    for key in ("recall", "rag", "rerank", "icl", "recall_128", "recall_256", "short_acc", "short_loss", "long_avg"):
        assert key in scores
        assert 0 <= scores[key] <= 100 or key == "short_loss"
    assert time.time() - start < 60


def test_a_killed_stage_resumes_from_its_checkpoint_to_the_same_step_count(tmp_path):
    whole, resumed = str(tmp_path / "whole"), str(tmp_path / "resumed")
    params = {"base_tokens": 120000, "base_length": 64, "seed": 0}
    run_stage("base", whole, params)
    process = run_stage("base", resumed, params, wait=False)
    # Wait for the first checkpoint (every 50 steps), then stop it as a scheduler would.
    deadline = time.time() + 60
    while not os.path.exists(os.path.join(resumed, "state.pt")) and time.time() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 143, output
    assert "checkpoint saved" in output
    assert not os.path.exists(os.path.join(resumed, "model.pt"))
    output = run_stage("base", resumed, params)
    assert "resuming at step" in output
    final = [m for m in metrics(resumed) if "final_loss" in m]
    expected = [m for m in metrics(whole) if "final_loss" in m]
    assert final[-1]["steps"] == expected[-1]["steps"]
    assert final[-1]["tokens"] == expected[-1]["tokens"]
    steps = [m["step"] for m in metrics(resumed) if "step" in m]
    assert steps[-1] == expected[-1]["steps"]


def test_sigusr1_checkpoints_and_training_goes_on(tmp_path):
    directory = str(tmp_path / "usr1")
    process = run_stage("base", directory, {"base_tokens": 120000, "base_length": 64, "seed": 0}, wait=False)
    # Wait until it trains (metrics every 10 steps), then warn it as Slurm's --signal=B:USR1 would.
    deadline = time.time() + 60
    while not os.path.exists(os.path.join(directory, "metrics.jsonl")) and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGUSR1)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert "SIGUSR1 at step" in output and "checkpoint saved, going on" in output
    assert "done," in output
