"""The trainer on the Hugging Face stack: what it writes, that other HF tools load it offline, resuming,
signals and document masking."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from helpers import OFFLINE, PRETRAIN, ROOT, results, run, start, state
from minilm import batches, train
from minilm import model as M


def test_a_stage_writes_checkpoints_the_final_model_and_the_trainer_state(base_model, tmp_path):
    out = str(tmp_path / "pre")
    output = run("pretrain", out, PRETRAIN, {"base": base_model})
    assert "done, 60 steps, 61440 tokens" in output
    assert sorted(d for d in os.listdir(out) if d.startswith("checkpoint-")) == [
        "checkpoint-20", "checkpoint-40", "checkpoint-60"]
    for name in ("trainer_state.json", "model.safetensors", "optimizer.pt", "scheduler.pt", "tokenizer.json",
                 "config.json"):
        assert os.path.exists(os.path.join(out, "checkpoint-40", name)), name
    for name in ("model.safetensors", "tokenizer.json", "trainer_state.json", "train_results.json"):
        assert os.path.exists(os.path.join(out, name)), name
    history = state(out)["log_history"]
    losses = [entry["loss"] for entry in history if "loss" in entry]
    assert [entry["step"] for entry in history if "loss" in entry] == [1, 10, 20, 30, 40, 50, 60]
    assert losses[-1] < losses[0]
    assert all(entry["tokens_per_s"] > 0 for entry in history if "loss" in entry and entry["step"] > 1)
    with open(os.path.join(out, "config.json")) as handle:
        assert json.load(handle)["rope_parameters"]["rope_theta"] == 20000.0
    assert results(out)["train_tokens"] == 61440


def test_the_saved_model_loads_offline_with_auto_classes_and_gives_its_training_loss(base_model, tmp_path):
    out = str(tmp_path / "pre")
    run("pretrain", out, PRETRAIN, {"base": base_model})
    # A separate process with nothing of minilm's model code: only transformers' Auto classes, offline.
    script = f"""
import json, sys, torch
sys.path.insert(0, {ROOT!r})
from transformers import AutoModelForCausalLM, AutoTokenizer
from minilm import batches, vocab
model = AutoModelForCausalLM.from_pretrained({out!r}).eval()
tokenizer = AutoTokenizer.from_pretrained({out!r})
assert tokenizer.convert_ids_to_tokens([vocab.BOS, vocab.KEYS[3]]) == ["<s>", "k3"]
assert tokenizer("<s> k3 v7 ; ? k3")["input_ids"] == [vocab.BOS, vocab.KEYS[3], vocab.VALUES[7], vocab.ITEM,
                                                     vocab.QUERY, vocab.KEYS[3]]
rows = batches.PackedRows({{"books": 0.3, "code_repos": 0.3, "fineweb": 0.2, "wikipedia": 0.2}}, 256, 240, seed=2,
                          document_masking=True)
with torch.no_grad():
    batch = batches.collate([rows[i] for i in range(236, 240)])
    print(json.dumps(model(**batch).loss.item()))
"""
    loaded = subprocess.run([sys.executable, "-c", script], env=dict(os.environ, **OFFLINE), capture_output=True,
                            text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout.strip().splitlines()[-1]) == pytest.approx(results(out)["final_loss"], abs=1e-5)


def test_a_killed_run_resumes_from_its_checkpoint_and_ends_where_an_uninterrupted_one_does(base_model, tmp_path):
    whole, resumed = str(tmp_path / "whole"), str(tmp_path / "resumed")
    run("pretrain", whole, PRETRAIN, {"base": base_model})
    process = start("pretrain", resumed, PRETRAIN, {"base": base_model})
    deadline = time.time() + 120
    while not os.path.exists(os.path.join(resumed, "checkpoint-20", "trainer_state.json")) and time.time() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 143, output
    stopped = int(output.split("SIGTERM at step ")[1].split(";")[0])
    assert 20 <= stopped < 60
    assert os.path.exists(os.path.join(resumed, f"checkpoint-{stopped}", "trainer_state.json"))
    assert not os.path.exists(os.path.join(resumed, "train_results.json"))
    output = run("pretrain", resumed, PRETRAIN, {"base": base_model})
    assert f"resuming from checkpoint-{stopped} of 60 steps" in output
    history = state(resumed)["log_history"]
    steps = [entry["step"] for entry in history if "loss" in entry]
    assert steps[-1] == 60 and steps == sorted(steps)
    assert state(resumed)["global_step"] == state(whole)["global_step"] == 60
    # The same rows in the same order, optimizer and scheduler restored: the same model.
    assert results(resumed)["final_loss"] == pytest.approx(results(whole)["final_loss"], abs=1e-4)


def test_sigusr1_saves_a_checkpoint_and_training_goes_on(base_model, tmp_path):
    out = str(tmp_path / "usr1")
    params = dict(PRETRAIN, save_every=1000)
    process = start("pretrain", out, params, {"base": base_model})
    # Wait until it trains (the Trainer logs step 1), then warn it as Slurm's --signal=B:USR1 would.
    seen = []
    for line in process.stdout:
        seen.append(line)
        if "'loss'" in line:
            break
    process.send_signal(signal.SIGUSR1)
    output, _ = process.communicate(timeout=120)
    output = "".join(seen) + output
    assert process.returncode == 0, output
    assert "checkpoint saved, going on" in output
    step = int(output.split("SIGUSR1 at step ")[1].split(";")[0])
    assert 0 < step < 60
    assert os.path.exists(os.path.join(out, f"checkpoint-{step}", "trainer_state.json"))
    assert state(out)["global_step"] == 60


def test_document_masking_keeps_attention_within_each_packed_document():
    torch.manual_seed(0)
    model = M.fresh(10000.0).eval()
    rows = batches.PackedRows("books@0.5 fineweb@0.5", 256, 4, seed=5, document_masking=True)
    row = rows[0]
    starts = torch.nonzero(row["position_ids"] == 0).flatten().tolist()
    assert len(starts) >= 2 and starts[0] == 0
    begin, end = starts[1], (starts[2] if len(starts) > 2 else 256)
    assert row["labels"][begin] == -100 and row["labels"][begin + 1] != -100
    with torch.no_grad():
        packed = model(**batches.collate([row])).logits[0, begin:end]
        alone = model(input_ids=row["input_ids"][None, begin:end], use_cache=False).logits[0]
        unmasked = model(input_ids=row["input_ids"][None], use_cache=False).logits[0, begin:end]
    assert torch.allclose(packed, alone, atol=1e-4)
    assert not torch.allclose(unmasked, alone, atol=1e-2)
    plain = batches.PackedRows("books@0.5 fineweb@0.5", 256, 4, seed=5, document_masking=False)[0]
    assert plain["position_ids"].tolist() == list(range(256))
    assert torch.equal(plain["input_ids"], row["input_ids"])


def test_the_same_stage_trains_the_same_model_twice(tmp_path):
    """The fresh model's initial weights, the rows and the Trainer's RNG all come from the job's seed: two
    runs of one job (here on two threads, as the demo's base stage runs) write byte-identical weights."""
    import hashlib

    digests = []
    for name in ("first", "second"):
        out = str(tmp_path / name)
        process = start("base", out, {"base_tokens": 20480, "base_length": 64}, threads=2)
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output
        with open(os.path.join(out, "model.safetensors"), "rb") as handle:
            digests.append(hashlib.sha256(handle.read()).hexdigest())
    assert digests[0] == digests[1]


def test_resuming_skips_a_checkpoint_left_half_written(tmp_path):
    for step, complete in ((30, True), (60, True), (90, False), (120, False)):
        os.makedirs(tmp_path / f"checkpoint-{step}")
        (tmp_path / f"checkpoint-{step}" / "model.safetensors").write_bytes(b"")
        if complete:
            (tmp_path / f"checkpoint-{step}" / "trainer_state.json").write_text("{}")
    (tmp_path / "checkpoint-x").mkdir()
    assert train.last_complete_checkpoint(str(tmp_path)) == str(tmp_path / "checkpoint-60")
    assert train.last_complete_checkpoint(str(tmp_path / "missing")) is None
