#!/usr/bin/env bash
# Sets up and runs Clippings on the bundled sample articles:
# installs dependencies, builds, indexes samples/ and serves http://127.0.0.1:8080
set -euo pipefail

usage() {
  printf '%s\n' \
    "Usage: scripts/demo.sh [--port N]" \
    "" \
    "Installs the Debian packages Clippings needs, builds it into build/, indexes the sample" \
    "articles (samples/) into data/clippings.db and serves them until Ctrl-C." \
    "" \
    "  --port N   serve on http://127.0.0.1:N (default: CLIPPINGS_SERVER_PORT, else 8080)" \
    "  --help     show this help" \
    "" \
    "CLIPPINGS_DATABASE names another database directory; other CLIPPINGS_* settings apply too."
}

# Arguments first, before anything is installed or built.
port=
while [ $# -gt 0 ]; do
  case "$1" in
    --help | -h) usage; exit 0 ;;
    --port)
      [ $# -ge 2 ] || { printf 'demo.sh: --port needs a port number\n' >&2; exit 2; }
      port=$2
      shift 2
      ;;
    --port=*) port=${1#--port=}; shift ;;
    *) printf 'demo.sh: unknown argument %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done
if [ -n "$port" ] && ! { [[ $port =~ ^[0-9]{1,5}$ ]] && [ "$((10#$port))" -ge 1 ] && [ "$((10#$port))" -le 65535 ]; }; then
  printf 'demo.sh: --port %s: expected a port number from 1 to 65535\n' "$port" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD_DIR=build scripts/build.sh -DCLIPPINGS_BUILD_TESTS=OFF -DCLIPPINGS_BUILD_BENCH=OFF
db=${CLIPPINGS_DATABASE:-data/clippings.db}
echo "Indexing samples/ into $db"
# Exit code 1 means some input was rejected (each is logged above); the rest is indexed.
build/indexer/clippings-indexer --config config.yaml --db "$db" --prune samples || [ $? -eq 1 ]
server_args=(--config config.yaml --db "$db" --web web)
if [ -n "$port" ]; then server_args+=(--port "$((10#$port))"); fi
echo "Serving on http://127.0.0.1:${port:-${CLIPPINGS_SERVER_PORT:-8080}} (Ctrl-C to stop)"
exec build/server/clippings-server "${server_args[@]}"
