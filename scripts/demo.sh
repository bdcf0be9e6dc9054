#!/usr/bin/env bash
# The main job: set up, build ablate in release mode, and show the plan of an example ProLong sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --static-swift-stdlib --product ablate
.build/release/ablate plan sweeps/long-data-source.yaml
