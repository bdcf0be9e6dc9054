#!/usr/bin/env bash
# Creates .venv with the mini trainer's Python dependencies: PyTorch (the CPU build when it can be had:
# this machine's pip find-links, then PyTorch's CPU index, then PyPI's default, which also runs on CPU),
# then transformers, tokenizers, lm-evaluation-harness, accelerate and pytest, pinned in
# scripts/minilm/requirements.txt. Idempotent: does nothing when the venv already has every pinned
# version. Nothing is fetched when the trainer runs (the sweeps set HF_HUB_OFFLINE and HF_DATASETS_OFFLINE).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
requirements=scripts/minilm/requirements.txt
installed() {
    "$venv/bin/python" - "$requirements" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version, PackageNotFoundError
import torch  # noqa: F401  (the CPU build is installed separately)
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, _, pinned = line.partition("==")
    try:
        if version(name) != pinned:
            sys.exit(1)
    except PackageNotFoundError:
        sys.exit(1)
PY
}
if [ -x "$venv/bin/python" ] && installed; then
    exit 0
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if "$venv/bin/python" -c "import torch" 2>/dev/null; then
    :
elif "$venv/bin/python" -m pip install -q "torch==2.13.0+cpu" 2>/dev/null; then
    echo "setup-trainer: installed torch 2.13.0+cpu (CPU build, local wheel)"
elif "$venv/bin/python" -m pip install -q "torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu 2>/dev/null; then
    echo "setup-trainer: installed torch 2.13.0 (CPU build from PyTorch's CPU index)"
else
    "$venv/bin/python" -m pip install -q "torch==2.13.0"
    echo "setup-trainer: installed torch 2.13.0 from PyPI's default build (with CUDA libraries; runs on CPU too)"
fi
"$venv/bin/python" -m pip install -q -r "$requirements"
installed || { echo "setup-trainer: $requirements is not what the venv has after installing it" >&2; exit 1; }
"$venv/bin/python" -c "import torch, transformers, tokenizers, lm_eval, accelerate; print('setup-trainer: torch', torch.__version__, 'cuda' if torch.cuda.is_available() else 'cpu', '| transformers', transformers.__version__, '| lm_eval', lm_eval.__version__)"
