#!/usr/bin/env bash
# Clippings against SQLite FTS5, PostgreSQL 15 and Sphinx 2.2 on this machine, same data,
# same run. Writes bench/results/*.json and regenerates the figures in docs/BENCHMARKS.md.
#
#   bench/run.sh            AllSides alone (with the naive Xapian loop), then the full corpus
#                           (~144,000 articles): about half an hour
#   bench/run.sh --allsides AllSides alone: about a quarter of an hour
#   bench/run.sh --quick    a 20,000-article slice: a few minutes
#   bench/run.sh --scale    1,000,000 articles made by replicating the corpus: 45 minutes to 2 hours
#   bench/run.sh --daily    the daily path: 10,000 articles added to the full-corpus database,
#                           beside the bulk rate, and search latency while they are: half an hour
#   bench/run.sh --shards   the full corpus as one database, 2 and 4 shards local and served
#                           by xapian-tcpsrv, searched through HTTP by 1 and 8 clients: 20 minutes
#   bench/run.sh --shards-scale  the same over the 1,000,000 articles of --scale: 1 to 2 hours
#   bench/run.sh --replication  a read replica kept by xapian-replicate: commit to searchable
#                           for batches of 1,000 articles, and the changesets: ten minutes
#
# Environment: CLIPPINGS_BUILD_DIR (use binaries from there instead of building build-bench),
# BENCH_WORK (work directory, default bench/work), BENCH_ARGS (extra run_bench.py options).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
work="${BENCH_WORK:-$here/work}"
results="$here/results"
python=/usr/bin/python3
modes=(allsides full)

usage() { sed -n '2,19s/^# \{0,1\}//p' "$0"; }

for arg in "$@"; do
  case "$arg" in
    --quick) modes=(quick) ;;
    --allsides) modes=(allsides) ;;
    --scale) modes=(scale) ;;
    --daily) modes=(daily) ;;
    --shards) modes=(shards) ;;
    --shards-scale) modes=(shards-scale) ;;
    --replication) modes=(replication) ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
# apt-get, and PostgreSQL's private cluster runs as the postgres user (it refuses root).
if [[ $(id -u) != 0 ]]; then echo "run.sh: run as root (apt-get, runuser)" >&2; exit 1; fi

# shellcheck source=bench/common.sh
source "$here/common.sh"

build_tools() {
  build_targets clippings-indexer clippings-server clippings-bench-http clippings-bench-inproc \
    clippings-bench-naive-index
  tools=(--indexer "$build/indexer/clippings-indexer" --server "$build/server/clippings-server"
         --http-load "$build/bench/clippings-bench-http"
         --inproc "$build/bench/clippings-bench-inproc"
         --naive-index "$build/bench/clippings-bench-naive-index")
  for tool in "${tools[@]}"; do
    [[ $tool == --* || -x $tool ]] || { echo "run.sh: $tool is missing" >&2; exit 1; }
  done
}

install_packages sqlite3 postgresql-15 sphinxsearch zstd time python3-psycopg2 python3-pymysql xapian-tools \
  cmake g++
# perf only adds a profile to the report: its absence is not an error.
command -v perf >/dev/null ||
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends linux-perf \
    >/dev/null 2>&1 || true
build_tools
mkdir -p "$work" "$results"
trap 'stop_servers "$work"' EXIT
if [[ ${modes[0]} == daily ]]; then
  "$python" "$here/daily_update.py" --indexer "$build/indexer/clippings-indexer" \
    --server "$build/server/clippings-server" --work "$work" --results "$results" \
    --doc "$root/docs/BENCHMARKS.md"
  echo "run.sh: daily-update figures written to docs/BENCHMARKS.md" >&2
  exit 0
fi
if [[ ${modes[0]} == shards* || ${modes[0]} == replication ]]; then
  # The prepared corpus and query mix of the full (or scale) mode, made once.
  data=full
  [[ ${modes[0]} == shards-scale ]] && data=scale
  [[ -f $work/data-$data/articles.jsonl ]] ||
    "$python" "$here/prepare_data.py" --corpus /work/shared/corpus --out "$work/data-$data" \
      $([[ $data == scale ]] && echo --scale 1000000)
  [[ -f $work/queries-$data.tsv ]] ||
    "$python" "$here/make_queries.py" --data "$work/data-$data/articles.tsv" --out "$work/queries-$data" --per-class 30
  if [[ ${modes[0]} == shards* ]]; then
    "$python" "$here/shards.py" --indexer "$build/indexer/clippings-indexer" \
      --server "$build/server/clippings-server" --http-load "$build/bench/clippings-bench-http" \
      --data "$work/data-$data" --queries "$work/queries-$data.tsv" --work "$work/${modes[0]}" \
      --block "${modes[0]}" --results "$results" --doc "$root/docs/BENCHMARKS.md"
  else
    "$python" "$here/replication.py" --indexer "$build/indexer/clippings-indexer" \
      --server "$build/server/clippings-server" --data "$work/data-full" --work "$work/replication" \
      --results "$results" --doc "$root/docs/BENCHMARKS.md"
  fi
  echo "run.sh: ${modes[0]} figures written to docs/BENCHMARKS.md" >&2
  exit 0
fi
for mode in "${modes[@]}"; do
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
  "$python" "$here/run_bench.py" --mode "$mode" --work "$work" --results "$results" \
    --perf "${tools[@]}" ${BENCH_ARGS:-}
done
"$python" "$here/render_report.py" --results "$results" --doc "$root/docs/BENCHMARKS.md"
echo "run.sh: figures written to docs/BENCHMARKS.md; raw results in $results" >&2
