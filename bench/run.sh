#!/usr/bin/env bash
# Clippings against SQLite FTS5, PostgreSQL 15 and Sphinx 2.2 on this machine, same data,
# same run. Writes bench/results/*.json and regenerates the figures in docs/BENCHMARKS.md.
#
#   bench/run.sh            AllSides alone (with the naive Xapian loop), then the full corpus
#                           (~144,000 articles): about half an hour
#   bench/run.sh --allsides AllSides alone: about a quarter of an hour
#   bench/run.sh --quick    a 20,000-article slice: a few minutes
#   bench/run.sh --scale    1,000,000 articles made by replicating the corpus: 45 minutes to 2 hours
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

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

for arg in "$@"; do
  case "$arg" in
    --quick) modes=(quick) ;;
    --allsides) modes=(allsides) ;;
    --scale) modes=(scale) ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
# apt-get, and PostgreSQL's private cluster runs as the postgres user (it refuses root).
if [[ $(id -u) != 0 ]]; then echo "run.sh: run as root (apt-get, runuser)" >&2; exit 1; fi

install_packages() {
  local wanted=(sqlite3 postgresql-15 sphinxsearch zstd time python3-psycopg2 python3-pymysql
                cmake g++)
  local missing=()
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "run.sh: installing ${missing[*]}" >&2
    local apt=(apt-get -o DPkg::Lock::Timeout=600)
    "${apt[@]}" install -y --no-install-recommends "${missing[@]}" ||
      { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "${missing[@]}"; }
  fi
  # perf only adds a profile to the report: its absence is not an error.
  command -v perf >/dev/null ||
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
      linux-perf >/dev/null 2>&1 || true
}

build_tools() {
  local build="${CLIPPINGS_BUILD_DIR:-$root/build-bench}"
  if [[ -z ${CLIPPINGS_BUILD_DIR:-} ]]; then
    "$root/scripts/install-deps.sh" >&2  # the libraries Clippings itself is built with
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLIPPINGS_BUILD_TESTS=OFF \
      -DCLIPPINGS_BUILD_BENCH=ON >/dev/null
    cmake --build "$build" -j"$(nproc)" --target clippings-indexer clippings-server \
      clippings-bench-http clippings-bench-inproc clippings-bench-naive-index
  fi
  tools=(--indexer "$build/indexer/clippings-indexer" --server "$build/server/clippings-server"
         --http-load "$build/bench/clippings-bench-http"
         --inproc "$build/bench/clippings-bench-inproc"
         --naive-index "$build/bench/clippings-bench-naive-index")
  for tool in "${tools[@]}"; do
    [[ $tool == --* || -x $tool ]] || { echo "run.sh: $tool is missing" >&2; exit 1; }
  done
}

# The driver stops every server it starts; this catches an interrupted run.
stop_servers() {
  local cluster="$work/postgres/cluster"
  if [[ -f $cluster/postmaster.pid ]]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$cluster" stop -m fast \
      >/dev/null 2>&1 || true
  fi
  if [[ -f $work/sphinx/searchd.pid && -f $work/sphinx/sphinx.conf ]]; then
    searchd --config "$work/sphinx/sphinx.conf" --stopwait >/dev/null 2>&1 || true
  fi
  local pidfile="$work/clippings/server.pid"
  if [[ -f $pidfile ]]; then
    local pid
    pid="$(cat "$pidfile")"
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == clippings-serv* ]]; then kill "$pid"; fi
    rm -f "$pidfile"
  fi
}

install_packages
build_tools
mkdir -p "$work" "$results"
trap stop_servers EXIT
for mode in "${modes[@]}"; do
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
  "$python" "$here/run_bench.py" --mode "$mode" --work "$work" --results "$results" \
    --perf "${tools[@]}" ${BENCH_ARGS:-}
done
"$python" "$here/render_report.py" --results "$results" --doc "$root/docs/BENCHMARKS.md"
echo "run.sh: figures written to docs/BENCHMARKS.md; raw results in $results" >&2
