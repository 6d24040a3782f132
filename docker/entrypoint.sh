#!/bin/bash
# Entrypoint of the Clippings image.
#
#   serve [FLAG...]   (default) index the articles, then become clippings-server with the flags
#   index [FLAG...]   index the articles with the indexer flags and exit; safe while a server on the same volume serves,
#                     which sees the new commit on its next request
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
  if has_articles; then log "indexing $ARTICLES into $DATABASE"; else
    log "nothing mounted at $ARTICLES: indexing the bundled samples into $DATABASE"
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

command=${1:-serve}
case "$command" in serve | index) read_log_format ;; esac
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
  *)
    exec "$@"
    ;;
esac
