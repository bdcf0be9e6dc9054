"""The evaluators: HELMET's output format from the mini evaluator, and the real lm-evaluation-harness on
the local tasks, both read by Ablate's own readers (the collectors behind `ablate import`)."""
import csv
import glob
import io
import json
import os
import re
import subprocess

import pytest

from helpers import OFFLINE, ROOT, run, start
from minilm import evaluate, shorttasks

ABLATE = os.environ.get("ABLATE_BIN", os.path.join(ROOT, "..", ".build", "debug", "ablate"))
needs_ablate = pytest.mark.skipif(not os.path.exists(ABLATE), reason="build ablate first (swift build)")
# Any attempt to reach the network fails fast: the runs must work with none.
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
NAME = re.compile(r"^(?P<dataset>[a-z0-9_]+)_v1_mini_in(?P<length>\d+)_size(?P<size>\d+)_shots(?P<shots>\d+)"
                  r"_sampFalsemax4min0t0\.0p1\.0_chatFalse_42\.json$")


def test_the_evaluator_writes_helmet_files_per_dataset_and_length(base_model, tmp_path):
    out = str(tmp_path / "helmet")
    run("eval", str(tmp_path), {"eval_lengths": [128, 256], "eval_examples": 8}, extra=[base_model, out])
    names = sorted(os.listdir(out))
    sizes = evaluate.sizes(8)
    assert sizes["json_kv"] == 2 and sizes["msmarco_rerank_psg"] == 8 and sizes["nlu"] == 2
    results = [n for n in names if n.endswith(".json")]
    assert len(results) == len(evaluate.DATASETS) * 2
    assert sorted(n for n in names if n.endswith(".json.score")) == sorted(n + ".score" for n in results)
    for name in results:
        match = NAME.match(name)
        assert match, name
        dataset, length = match["dataset"], int(match["length"])
        _, _, metric, shots = evaluate.DATASETS[dataset]
        size = sizes[dataset]
        assert int(match["shots"]) == shots and int(match["size"]) == size
        with open(os.path.join(out, name)) as handle:
            result = json.load(handle)
        assert set(result) >= {"args", "data", "metrics", "averaged_metrics"}
        assert result["args"]["input_max_length"] == length and result["args"]["datasets"] == dataset
        assert len(result["data"]) == size and all(0 <= row[metric] <= 1 for row in result["data"])
        mean = 100 * sum(row[metric] for row in result["data"]) / size
        assert result["averaged_metrics"][metric] == pytest.approx(mean)
        with open(os.path.join(out, name + ".score")) as handle:
            assert json.load(handle) == result["averaged_metrics"]


def _sql(database, query):
    done = subprocess.run([ABLATE, "sql", "--db", database, query, "--format", "csv"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


@needs_ablate
def test_helmet_files_are_read_by_ablates_helmet_reader_into_categories(base_model, tmp_path):
    out = str(tmp_path / "helmet")
    run("eval", str(tmp_path), {"eval_lengths": [128], "eval_examples": 8}, extra=[base_model, out])
    database = str(tmp_path / "ablate.db")
    imported = subprocess.run([ABLATE, "import", "--format", "helmet", out, "--db", database], capture_output=True,
                              text=True)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert "warning" not in (imported.stdout + imported.stderr).lower(), imported.stdout + imported.stderr
    rows = _sql(database, "SELECT key, value FROM run_metrics WHERE key IN ('recall', 'rag', 'rerank', 'icl')")
    assert sorted(row["key"] for row in rows) == ["icl", "rag", "recall", "rerank"]
    assert all(0 <= float(row["value"]) <= 100 for row in rows)


def test_lm_eval_runs_the_local_tasks_offline_and_writes_its_results_file(base_model, tmp_path):
    tasks, out = str(tmp_path / "tasks"), str(tmp_path / "lm-eval")
    shorttasks.write(tasks)
    environment = dict(os.environ, HF_HOME=str(tmp_path / "hf-home"), **OFFLINE, **NO_NETWORK)
    done = subprocess.run(shorttasks.lm_eval_command(base_model, tasks, out, extra=["--limit", "20"]),
                          env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    files = glob.glob(os.path.join(out, "*", "results_*.json"))
    assert len(files) == 1
    with open(files[0]) as handle:
        results = json.load(handle)["results"]
    assert set(results) == set(shorttasks.TASKS)
    assert 0 <= results["mini_hellaswag"]["acc_norm,none"] <= 1
    assert 0 <= results["mini_gsm8k"]["exact_match,strict-match"] <= 1
    assert len(glob.glob(os.path.join(out, "*", "samples_mini_*.jsonl"))) == 3
    if os.path.exists(ABLATE):
        database = str(tmp_path / "ablate.db")
        imported = subprocess.run([ABLATE, "import", "--format", "lm-eval", out, "--db", database],
                                  capture_output=True, text=True)
        assert imported.returncode == 0, imported.stdout + imported.stderr
        rows = {row["key"]: float(row["value"]) for row in _sql(database, "SELECT key, value FROM run_metrics")}
        assert rows["lm_eval.mini_hellaswag.acc_norm"] == pytest.approx(results["mini_hellaswag"]["acc_norm,none"])
        assert rows["lm_eval.mini_gsm8k.exact_match.strict-match"] == pytest.approx(
            results["mini_gsm8k"]["exact_match,strict-match"])


def test_the_task_files_are_the_same_for_the_same_code(tmp_path):
    shorttasks.write(str(tmp_path / "a"))
    shorttasks.write(str(tmp_path / "b"))
    for task in shorttasks.TASKS:
        with open(tmp_path / "a" / f"{task}.jsonl") as a, open(tmp_path / "b" / f"{task}.jsonl") as b:
            lines = a.read()
            assert lines == b.read()
        assert len(lines.splitlines()) == shorttasks.SIZES[task]


def test_a_model_directory_that_holds_no_model_is_named_in_a_clear_error(tmp_path):
    missing = str(tmp_path / "no-such-model")
    process = start("eval", str(tmp_path), {"eval_lengths": [128], "eval_examples": 8},
                    extra=[missing, str(tmp_path / "helmet")])
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 1, output
    assert output.strip().splitlines()[-1] == (
        f"no saved model in '{missing}' (it has no config.json): give a job's output or a checkpoint-N directory, "
        "or run the stage that writes it first")
    assert not os.path.exists(tmp_path / "helmet")
