#!/bin/bash
# Entrypoint of the Clippings image.
#
#   serve [FLAG...]   (default) index the articles, then become clippings-server with the flags
#   index [FLAG...]   index the articles with the indexer flags and exit; safe while a server on the same volume serves,
#                     which sees the new commit on its next request
#   shard PATH [PORT] wait until PATH holds an index, then serve it read-only to clippings-server
#                     with xapian-tcpsrv on PORT (default 7011): a remote shard
#   replica HOST:PORT NAME...
#                     keep /data/NAME a replica of each database NAME that xapian-replicate-server at
#                     HOST:PORT serves, then become clippings-server over them (the shards of one
#                     index when there are several)
#   anything else     runs as given, e.g. `clippings-server --help` or `clippings-indexer --version`
#
# "The articles" are what is mounted at /articles; when that holds no visible file, the samples
# bundled in the image. The index mirrors them: changed files are replaced (never added twice)
# and articles whose file is gone are pruned, including all of the samples once real articles
# are mounted, and all of the mounted articles when the mount is removed.
# Settings come from CLIPPINGS_* variables over /etc/clippings/config.yaml. This script's own
# lines follow the programs' log_format: with json, every line the container prints is a JSON
# object.
set -euo pipefail

ARTICLES=/articles
BUNDLED_SAMPLES=/usr/share/clippings/samples
DATABASE=${CLIPPINGS_DATABASE:-/data/clippings.db}
# Samples are indexed from a copy beside the database, so that they can be pruned by emptying it.
SAMPLES_COPY=$(dirname "$DATABASE")/samples

# The log format in effect (config file, then variables), as the programs see it; the
# variable alone when the configuration cannot be read (the indexer then says why).
read_log_format() {
  LOG_FORMAT=$(clippings-indexer --print-config 2>/dev/null |
    sed -n 's/.*"log_format":"\([a-z]*\)".*/\1/p') || true
  LOG_FORMAT=${LOG_FORMAT:-${CLIPPINGS_LOG_FORMAT:-text}}
}

# A JSON string literal of $1: backslash, quote and the control characters escaped or dropped.
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  s=$(printf '%s' "$s" | LC_ALL=C tr -d '\000-\037')
  printf '"%s"' "$s"
}

log_at() {  # log_at LEVEL MESSAGE...: LEVEL is info, warning or error, as the programs write it
  local level=$1
  shift
  if [ "${LOG_FORMAT:-text}" = json ]; then
    printf '{"time":"%s","level":"%s","message":%s}\n' "$(date +%Y-%m-%dT%H:%M:%S.%3N%:z)" \
      "$level" "$(json_string "entrypoint: $*")" >&2
  else
    printf '%s entrypoint %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
  fi
}
log() { log_at info "$@"; }

has_articles() {
  [ -d "$ARTICLES" ] && [ -n "$(find "$ARTICLES" -mindepth 1 ! -name '.*' -print -quit 2>/dev/null)" ]
}

check_writable() {
  local dir
  dir=$(dirname "$DATABASE")
  mkdir -p "$dir" 2>/dev/null || true
  if [ ! -w "$dir" ]; then
    log_at error "cannot write $dir (owner uid $(stat -c %u "$dir"), running as uid $(id -u));" \
      "use a named volume, or chown the directory to uid $(id -u)"
    exit 2
  fi
}

# The SOURCE arguments for this run: the one to index plus, pruned to nothing, the other one.
index_sources() {
  if has_articles; then
    if [ -d "$SAMPLES_COPY" ]; then
      find "$SAMPLES_COPY" -mindepth 1 -delete
      echo "$SAMPLES_COPY"
    fi
    echo "$ARTICLES"
  else
    rm -rf "$SAMPLES_COPY"
    # Their times kept, so that the next start finds them unchanged without reading them.
    cp -R --preserve=timestamps "$BUNDLED_SAMPLES" "$SAMPLES_COPY"
    echo "$SAMPLES_COPY"
    if [ -d "$ARTICLES" ]; then echo "$ARTICLES"; fi
  fi
}

# Runs the indexer as a child so that SIGTERM/SIGINT reach it (it then commits what is complete
# and exits 130) instead of stopping at this shell. Returns the indexer's exit status.
run_indexer() {
  local child status=0
  clippings-indexer --prune "$@" &
  child=$!
  trap 'STOPPING=1; kill -TERM "$child" 2>/dev/null || true' TERM INT
  wait "$child" || status=$?
  while kill -0 "$child" 2>/dev/null; do
    status=0
    wait "$child" || status=$?
  done
  trap - TERM INT
  return "$status"
}

index_articles() {  # index_articles [INDEXER_FLAG...]
  local sources status=0
  check_writable
  mapfile -t sources < <(index_sources)
  local target=${CLIPPINGS_SHARDS:-$DATABASE}
  if has_articles; then log "indexing $ARTICLES into $target"; else
    log "nothing mounted at $ARTICLES: indexing the bundled samples into $target"
  fi
  run_indexer "$@" "${sources[@]}" || status=$?
  if [ "${STOPPING:-0}" = 1 ]; then
    log_at warning "stopped by a signal while indexing (complete batches are committed)"
    exit 143
  fi
  case "$status" in
    0) ;;
    1) log_at warning "some input was rejected (each file is named above); the rest is indexed" ;;
    *) log_at error "indexing failed (exit status $status)"; exit "$status" ;;
  esac
  if [ -d "$SAMPLES_COPY" ] && [ -z "$(ls -A "$SAMPLES_COPY")" ]; then rmdir "$SAMPLES_COPY"; fi
}

# Waits until $1 holds a Xapian database (a glass database, or the stub file of a replica),
# saying so every 30 s.
wait_for_database() {
  local waited=0
  until [ -e "$1/iamglass" ] || [ -e "$1/XAPIANDB" ]; do
    if ((waited % 30 == 0)); then log "waiting for an index at $1"; fi
    sleep 1
    waited=$((waited + 1))
  done
}

serve_shard() {  # serve_shard PATH [PORT]
  local path=${1:-} port=${2:-7011}
  if [ -z "$path" ]; then
    log_at error "usage: shard PATH [PORT]"
    exit 2
  fi
  wait_for_database "$path"
  log "serving $path on port $port (xapian-tcpsrv)"
  exec xapian-tcpsrv --port "$port" "$path"
}

# The replicas are written by xapian-replicate processes in the background, which go on beside
# the server (it takes this shell's place) and retry when the writer cannot be reached.
serve_replica() {  # serve_replica HOST:PORT NAME...
  local master=${1:-} host port name path paths=()
  host=${master%:*}
  port=${master##*:}
  if [ $# -lt 2 ] || [ "$host" = "$master" ]; then
    log_at error "usage: replica HOST:PORT NAME..."
    exit 2
  fi
  shift
  for name in "$@"; do
    path=/data/$name
    mkdir -p "$(dirname "$path")"
    xapian-replicate -h "$host" -p "$port" -m "$name" -i 5 -r 1 "$path" &
    paths+=("$path")
  done
  for path in "${paths[@]}"; do wait_for_database "$path"; done
  log "starting clippings-server over the replicas ${paths[*]}"
  CLIPPINGS_SHARDS=$(IFS=,; echo "${paths[*]}")
  export CLIPPINGS_SHARDS
  exec clippings-server
}

command=${1:-serve}
case "$command" in serve | index | shard | replica) read_log_format ;; esac
case "$command" in
  serve)
    shift || true
    index_articles
    log "starting clippings-server"
    exec clippings-server "$@"
    ;;
  index)
    shift
    index_articles "$@"
    ;;
  shard)
    shift
    serve_shard "$@"
    ;;
  replica)
    shift
    serve_replica "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
