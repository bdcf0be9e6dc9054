#!/usr/bin/env bash
# Runs the whole test suite: Swift unit, end-to-end and integration tests (real processes, crash
# recovery, the trainer through ablate, a real Slurm cluster, pdflatex and Chromium), then the trainer's
# pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/setup-report-tools.sh
scripts/setup-trainer.sh
# The Slurm backend's integration tests run against a real single-node cluster on loopback.
scripts/slurm-dev-cluster.sh up
swift build --build-tests
set +e
# Passing tests are not listed one by one; failures, issues and the closing summary are.
swift test --skip-build 2>&1 | tee .build/test.log | awk '!/^◇/ && !(/^✔ Test / && !/^✔ Test run/) && !/^Test (Suite|Case) .*(started|passed)/'
swift_status=${PIPESTATUS[0]}
(cd scripts && ../.venv/bin/python -m pytest -q minilm/tests)
python_status=$?
set -e
[ "$swift_status" -eq 0 ] && [ "$python_status" -eq 0 ]
