#!/usr/bin/env bash
# Runs the whole test suite: unit tests, end-to-end tests of the built binary, and integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/setup-report-tools.sh
swift build --build-tests
set +e
# Passing tests are not listed one by one; failures, issues and the closing summary are.
swift test --skip-build 2>&1 | tee .build/test.log | awk '!/^◇/ && !(/^✔ Test / && !/^✔ Test run/) && !/^Test (Suite|Case) .*(started|passed)/'
status=${PIPESTATUS[0]}
set -e
exit "$status"
