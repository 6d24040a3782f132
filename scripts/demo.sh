#!/usr/bin/env bash
# Sets up and runs Clippings on the bundled sample articles:
# installs dependencies, builds, indexes samples/ and serves http://127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=build scripts/build.sh -DCLIPPINGS_BUILD_TESTS=OFF -DCLIPPINGS_BUILD_BENCH=OFF
db=${CLIPPINGS_DATABASE:-data/clippings.db}
echo "Indexing samples/ into $db"
# Exit code 1 means some input was rejected (each is logged above); the rest is indexed.
build/indexer/clippings-indexer --config config.yaml --db "$db" --prune samples || [ $? -eq 1 ]
echo "Serving on http://127.0.0.1:${CLIPPINGS_SERVER_PORT:-8080} (Ctrl-C to stop)"
exec build/server/clippings-server --config config.yaml --db "$db" --web web
