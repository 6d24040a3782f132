#!/usr/bin/env bash
# Builds with AddressSanitizer and UndefinedBehaviorSanitizer (CLIPPINGS_SANITIZE=ON) into
# build-sanitize/ and runs the unit, integration and seeds tests there (the browser and fault
# tests measure the real binaries: they run in the normal build). The first report stops the
# program that made it, so any finding fails a test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# -O1 with line tables only: reports still name file and line, and the build takes about half
# the compiler time of -O2 -g.
BUILD_DIR=build-sanitize scripts/build.sh -DCLIPPINGS_SANITIZE=ON \
  -DCLIPPINGS_BUILD_TESTS=ON -DCLIPPINGS_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
# new_delete_type_mismatch is off for one finding inside libxapian (1.4.22), not in Clippings:
# Xapian::Database::check, which the indexer runs on a dead bulk load's shards, frees a
# 440-byte object of its own through a pointer to a 432-byte type.
export ASAN_OPTIONS=abort_on_error=1:detect_stack_use_after_return=1:new_delete_type_mismatch=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-sanitize --output-on-failure -j "${JOBS:-$(nproc)}" -L 'unit|integration|seeds' "$@"
