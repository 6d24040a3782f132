#!/usr/bin/env bash
# Runs every test: unit, integration (real server on 127.0.0.1) and end-to-end (headless Chromium).
# Installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
BUILD_DIR=build scripts/build.sh
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
ctest --test-dir build --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
