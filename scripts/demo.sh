#!/usr/bin/env bash
# The main job: set up, build ablate, run the mini ProLong sweep on this machine (real training with the
# Hugging Face Trainer on the CPUs, evaluation by lm-evaluation-harness and in HELMET's format, offline),
# print the paper-style table and write the figure. A second run reuses every job.
set -euo pipefail
cd "$(dirname "$0")/.."
setup_start=$(date +%s)
scripts/setup.sh
scripts/setup-trainer.sh
setup_end=$(date +%s)
echo "demo: setup took $(( setup_end - setup_start )) s"
swift build -c release --static-swift-stdlib --product ablate
swift build -c release --static-swift-stdlib --product ablate-wrap
echo "demo: the build took $(( $(date +%s) - setup_end )) s"
run_start=$(date +%s)
.build/release/ablate run sweeps/mini-prolong.yaml --jobs 2
echo "demo: the sweep took $(( $(date +%s) - run_start )) s"
echo
.build/release/ablate report reports/mini-prolong.yaml --figure mini-prolong.svg
echo "demo: the figure of the long-context average over training tokens, before and after SFT: $(pwd)/mini-prolong.svg"
