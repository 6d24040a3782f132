#!/usr/bin/env bash
# The full fault run (about 11 minutes): 64 slow header senders, 8 maximal queries in parallel,
# both at once, a 5-minute soak of 64 keep-alive clients while the indexer adds 10,000 articles,
# and kill -9 loops of the indexer and the server. Writes its figures into docs/RELIABILITY.md.
#   scripts/fault-test.sh [--short] [--source FILE_OR_DIR ... | --db DATABASE]
# --source indexes real articles first (e.g. a JSON Lines export), --db starts from a copy of a
# database; without either the run uses generated fictional articles. The same checks run in CI
# as the ctest `fault_short` (label fault).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
BUILD_DIR=${BUILD_DIR:-build} scripts/build.sh -DCLIPPINGS_BUILD_TESTS=ON >/dev/null
build=${BUILD_DIR:-build}
exec /usr/bin/python3 tests/fault/fault_test.py --server "$build/server/clippings-server" \
  --indexer "$build/indexer/clippings-indexer" --report docs/RELIABILITY.md "$@"
