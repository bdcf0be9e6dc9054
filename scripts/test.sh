#!/usr/bin/env bash
# Runs the whole test suite: unit tests, then the end-to-end and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build --parallel 2>&1 | tee .build/test.log | grep -vE '^\[[0-9]+/[0-9]+\]|^Test Case .* (started|passed)' || true
# `swift test` exits non-zero on failures; the pipeline above hides that, so check the log.
if grep -qE "Test run with [0-9]+ tests? .* failed|error: |with [1-9][0-9]* failures?|\) failed" .build/test.log; then
    echo "test.sh: failures above" >&2
    exit 1
fi
