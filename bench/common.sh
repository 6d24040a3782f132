# shellcheck shell=bash
# Shell helpers of bench/run.sh and bench/relevance.sh (sourced, not run).

# Installs the Debian packages given that are missing (apt-get: as root).
install_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
      echo "$(basename "$0"): ${missing[*]} missing; run as root to install them" >&2
      exit 1
    fi
    echo "$(basename "$0"): installing ${missing[*]}" >&2
    local apt=(apt-get -o DPkg::Lock::Timeout=600)
    "${apt[@]}" install -y --no-install-recommends "${missing[@]}" ||
      { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "${missing[@]}"; }
  fi
}

# Sets `build` to the directory of the programs: $CLIPPINGS_BUILD_DIR as it is, else
# build-bench, where the targets given are built (RelWithDebInfo) after the libraries
# Clippings is built with are installed.
build_targets() {
  build="${CLIPPINGS_BUILD_DIR:-$root/build-bench}"
  if [[ -z ${CLIPPINGS_BUILD_DIR:-} ]]; then
    "$root/scripts/install-deps.sh" >&2
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLIPPINGS_BUILD_TESTS=OFF \
      -DCLIPPINGS_BUILD_BENCH=ON >/dev/null
    cmake --build "$build" -j"$(nproc)" --target "$@"
  fi
}

# Stops the servers a driver started under the work directory $1: the driver stops every
# server it starts, and this catches an interrupted run.
stop_servers() {
  local cluster="$1/postgres/cluster"
  if [[ -f $cluster/postmaster.pid ]]; then
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$cluster" stop -m fast \
      >/dev/null 2>&1 || true
  fi
  if [[ -f $1/sphinx/searchd.pid && -f $1/sphinx/sphinx.conf ]]; then
    searchd --config "$1/sphinx/sphinx.conf" --stopwait >/dev/null 2>&1 || true
  fi
  local pidfile="$1/clippings/server.pid"
  if [[ -f $pidfile ]]; then
    local pid
    pid="$(cat "$pidfile")"
    if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == clippings-serv* ]]; then kill "$pid"; fi
    rm -f "$pidfile"
  fi
}
