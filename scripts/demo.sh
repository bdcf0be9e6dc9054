#!/usr/bin/env bash
# The main job: set up, build ablate, run the mini ProLong sweep on this machine (real training on the
# CPUs, a few minutes on 2 cores), and print the paper-style table. A second run reuses every job.
set -euo pipefail
cd "$(dirname "$0")/.."
setup_start=$(date +%s)
scripts/setup.sh
scripts/setup-trainer.sh
swift build -c release --static-swift-stdlib --product ablate
swift build -c release --static-swift-stdlib --product ablate-wrap
echo "demo: setup and build took $(( $(date +%s) - setup_start )) s"
run_start=$(date +%s)
.build/release/ablate run sweeps/mini-prolong.yaml --jobs 2
echo "demo: the sweep took $(( $(date +%s) - run_start )) s"
echo
.build/release/ablate report reports/mini-prolong.yaml
