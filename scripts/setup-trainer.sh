#!/usr/bin/env bash
# Creates .venv with the mini trainer's Python dependencies: PyTorch (the CPU build when it can be had:
# this machine's pip find-links, then PyTorch's CPU index, then PyPI's default, which also runs on CPU)
# and pytest. Idempotent: does nothing when the venv already imports torch and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import torch, pytest" 2>/dev/null; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if "$venv/bin/python" -m pip install -q "torch==2.13.0+cpu" 2>/dev/null; then
    echo "setup-trainer: installed torch 2.13.0+cpu (CPU build, local wheel)"
elif "$venv/bin/python" -m pip install -q torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null; then
    echo "setup-trainer: installed torch (CPU build from PyTorch's CPU index)"
else
    "$venv/bin/python" -m pip install -q torch
    echo "setup-trainer: installed torch from PyPI's default build (with CUDA libraries; runs on CPU too)"
fi
"$venv/bin/python" -m pip install -q "pytest==9.0.3" "numpy<3"
"$venv/bin/python" -c "import torch; print('setup-trainer: torch', torch.__version__, 'cuda' if torch.cuda.is_available() else 'cpu')"
