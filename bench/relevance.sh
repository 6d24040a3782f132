#!/usr/bin/env bash
# Judged relevance benchmark on AllSides: Clippings, plain Xapian BM25, ranking variants of
# Clippings' own (in-process), SQLite FTS5, PostgreSQL and Sphinx over the same articles,
# scored against the topics of bench/relevance/topics.tsv.
#
#   bench/relevance.sh                     every system: index, ask, score, and regenerate the
#                                          Relevance figures of docs/BENCHMARKS.md (as root)
#   bench/relevance.sh --only clippings    Clippings as built and configured now: its index is
#                                          reused while indexer and data are unchanged
#   bench/relevance.sh --only clippings --server http://127.0.0.1:PORT
#                                          a server already running over AllSides: seconds
# More options (run_relevance.py --help): --config FILE (for the server the run starts),
# --param NAME=VALUE (added to every search), --tag NAME (a variant's name in the results),
# --label TEXT (its name in the report), --baseline NAME, --report (put a partial run into
# latest.json and the docs).
#
# Environment: CLIPPINGS_BUILD_DIR (use binaries from there instead of building build-bench),
# BENCH_WORK (work directory, default bench/work).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
work="${BENCH_WORK:-$here/work}"
python=/usr/bin/python3
# shellcheck source=bench/common.sh
source "$here/common.sh"

engines=clippings,xapian,variants,sqlite,postgres,sphinx
server=""
args=("$@")
for ((i = 0; i < $#; i++)); do
  case "${args[i]}" in
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
    --only) engines="${args[i + 1]:-}" ;;
    --only=*) engines="${args[i]#--only=}" ;;
    --server) server="${args[i + 1]:-}" ;;
    --server=*) server="${args[i]#--server=}" ;;
  esac
done

packages=(zstd)
targets=()
[[ ,$engines, == *,postgres,* ]] && packages+=(postgresql-15 python3-psycopg2)
[[ ,$engines, == *,sphinx,* ]] && packages+=(sphinxsearch python3-pymysql)
[[ ,$engines, == *,xapian,* ]] && targets+=(clippings-indexer clippings-bench-relevance-xapian)
if [[ ,$engines, == *,variants,* ]]; then
  packages+=(python3-xapian)
  targets+=(clippings-indexer)
fi
if [[ ,$engines, == *,clippings,* && -z $server ]]; then
  targets+=(clippings-indexer clippings-server)
fi
# PostgreSQL's private cluster runs as the postgres user (it refuses root): runuser needs root.
if [[ ,$engines, == *,postgres,* && $(id -u) != 0 ]]; then
  echo "relevance.sh: PostgreSQL runs under runuser: run as root, or leave it out with --only" >&2
  exit 1
fi
install_packages "${packages[@]}"
tools=()
if ((${#targets[@]})); then
  install_packages cmake g++
  build_targets "${targets[@]}"
  tools=(--indexer "$build/indexer/clippings-indexer" --server-bin "$build/server/clippings-server"
         --relevance-xapian "$build/bench/clippings-bench-relevance-xapian")
fi
mkdir -p "$work/relevance"
trap 'stop_servers "$work/relevance"' EXIT
"$python" "$here/run_relevance.py" --work "$work" "${tools[@]}" "$@"
