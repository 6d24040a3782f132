#!/usr/bin/env bash
# Runs every test: unit, integration (real server on 127.0.0.1) and end-to-end (headless Chromium).
# Installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# Explicit options: a build directory configured by demo.sh has the tests switched off.
BUILD_DIR=build scripts/build.sh -DCLIPPINGS_BUILD_TESTS=ON -DCLIPPINGS_BUILD_BENCH=ON
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
ctest --test-dir build --output-on-failure -j "${JOBS:-$(nproc)}" "$@"
