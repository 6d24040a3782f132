#!/usr/bin/env bash
# docker/smoke.sh [ARTICLES_DIR [QUERY]]: build the container image and check it end to end.
#
# Builds docker/Dockerfile with Docker when a daemon answers, else with Podman (installed from
# Debian when missing, with its base image made by debootstrap from this machine's apt sources,
# so no registry is needed). Then runs the image on 127.0.0.1 with ARTICLES_DIR (default: the
# test corpus, tests/data/corpus) mounted read-only at /articles and checks: health, a search
# for QUERY (default: ferry, which the test corpus holds; `docker/smoke.sh ../shared/seeds
# mothers` checks the seed articles) with facets and highlighted snippets, a re-index while
# serving that finds every file unchanged, a clean stop on SIGTERM, a restart on the same
# volume without duplicates, the bundled samples when nothing is mounted, a server over an
# empty index reported unhealthy (not ready), a JSON log whose every line is a JSON object, and
# docker/compose.shards.yaml: a server over two remote shards and one on a replica that answer
# as one database did, and an article added that reaches both.
# Exits non-zero with a message on the first failure; removes every container and volume it
# created.
#
# --prepare   only set up the container engine and base image (no build, no run).
# --no-build  check an image built before (CLIPPINGS_IMAGE) instead of building it.
# Environment: CLIPPINGS_IMAGE (tag, default clippings:smoke), SMOKE_WORK (Podman storage,
# default /var/tmp/clippings-smoke), SUITE (bookworm), MIRROR, SECURITY_MIRROR.
set -euo pipefail
shopt -s inherit_errexit

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TAG=${CLIPPINGS_IMAGE:-clippings:smoke}
WORK=${SMOKE_WORK:-/var/tmp/clippings-smoke}
SUITE=${SUITE:-bookworm}
BASE=docker.io/library/debian:$SUITE-slim
PREPARE_ONLY=0
BUILD=1
case "${1:-}" in
  --prepare) PREPARE_ONLY=1; shift ;;
  --no-build) BUILD=0; shift ;;
esac
MOUNTED=${1:-$REPO/tests/data/corpus}
QUERY=${2:-ferry}

t0=$SECONDS
step() { echo "== [$((SECONDS - t0))s] $*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

# ---- engine -------------------------------------------------------------------------------

install_missing() {  # install_missing COMMAND:PACKAGE...
  local need=() item
  for item in "$@"; do command -v "${item%%:*}" >/dev/null || need+=("${item#*:}"); done
  ((${#need[@]})) || return 0
  [ "$(id -u)" = 0 ] || fail "missing ${need[*]}; install them or run as root"
  step "apt-get install ${need[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
}

# Podman with private storage under $WORK, the runc runtime (crun refuses hybrid cgroup
# setups) and default ulimits within this shell's hard limits (podman's own defaults may not be).
# iptables: publishing a port needs it, and podman only suggests it.
setup_podman() {
  install_missing podman:podman runc:runc debootstrap:debootstrap iptables:iptables
  mkdir -p "$WORK"/{storage,run,tmp}
  printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/storage"\nrunroot = "%s/run"\n' \
    "$WORK" "$WORK" >"$WORK/storage.conf"
  local nofile nproc
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] && nofile=1048576
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n' \
    "$nofile" "$nofile" "$nproc" "$nproc" >"$WORK/containers.conf"
  export CONTAINERS_STORAGE_CONF=$WORK/storage.conf CONTAINERS_CONF=$WORK/containers.conf
  export TMPDIR=$WORK/tmp
  podman image exists "$BASE" || make_base_image
}

# The first mirror URL in the apt sources whose path ends in /$1.
apt_mirror() {
  local sources
  sources=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v '^[[:space:]]*#' || true)
  { grep -oE "https?://[^ ]+/$1/?( |\$)" <<<"$sources" || true; } | head -1 | tr -d ' ' | sed 's:/$::'
}

# debian:<suite>-slim made as the official image is: minbase debootstrap, no docs, no apt caches.
make_base_image() {
  local mirror security root=$WORK/rootfs
  mirror=${MIRROR:-$(apt_mirror debian)}
  [ -n "$mirror" ] || fail "no Debian mirror in the apt sources; set MIRROR"
  security=${SECURITY_MIRROR:-$(apt_mirror debian-security)}
  security=${security:-$mirror-security}
  step "debootstrap $SUITE from $mirror (log: $WORK/debootstrap.log)"
  rm -rf "$root"
  debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >"$WORK/debootstrap.log" 2>&1 ||
    fail "debootstrap failed; see $WORK/debootstrap.log"
  rm -f "$root/etc/apt/sources.list"
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: %s\n\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: %s\n' \
    "$mirror" "$SUITE" "$SUITE" "$keyring" "$security" "$SUITE" "$keyring" \
    >"$root/etc/apt/sources.list.d/debian.sources"
  printf 'path-exclude /usr/share/%s/*\n' doc man info locale >"$root/etc/dpkg/dpkg.cfg.d/docker-slim"
  echo 'path-include /usr/share/doc/*/copyright' >>"$root/etc/dpkg/dpkg.cfg.d/docker-slim"
  echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/docker-no-recommends"
  local clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"'
  printf 'DPkg::Post-Invoke { %s; };\nAPT::Update::Post-Invoke { %s; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n' \
    "$clean" "$clean" >"$root/etc/apt/apt.conf.d/docker-clean"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
    "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/usr/share/{man,info,locale}/*
  find "$root/usr/share/doc" -type f ! -name copyright -delete
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"
  step "import $BASE"
  tar --numeric-owner --xattrs -C "$root" --exclude='./dev/*' --exclude='./proc/*' \
    --exclude='./sys/*' -cf - . |
    podman import --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BASE" >/dev/null
  rm -rf "$root"
}

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  ENGINE=docker
else
  ENGINE=podman
  setup_podman
fi
step "engine: $ENGINE"

# Podman without systemd cannot arm the healthcheck timer and says so on every run, start and
# stop; that line is noise here (check_healthcheck runs the check itself).
engine() {
  if [ "$ENGINE" = podman ]; then
    podman "$@" 2> >(grep -v 'unable to get systemd connection' >&2)
  else
    docker "$@"
  fi
}
[ "$PREPARE_ONLY" = 1 ] && { step "prepared"; exit 0; }

install_missing curl:curl jq:jq
[ -d "$MOUNTED" ] || fail "no articles directory at $MOUNTED"
MOUNTED=$(cd "$MOUNTED" && pwd)
[[ $QUERY =~ ^[[:alnum:]]+$ ]] || fail "QUERY must be one word, got '$QUERY'"

# ---- build --------------------------------------------------------------------------------

if [ "$BUILD" = 0 ]; then
  step "using the existing image $TAG"
  engine image inspect "$TAG" >/dev/null 2>&1 || fail "no image $TAG to check"
elif [ "$ENGINE" = docker ]; then
  step "build $TAG"
  docker build -f "$REPO/docker/Dockerfile" -t "$TAG" "$REPO"
else
  step "build $TAG"
  # Docker format keeps the HEALTHCHECK (OCI images have no such field).
  podman build --pull=never --network=host --format docker -f "$REPO/docker/Dockerfile" \
    -t "$TAG" "$REPO"
fi
SIZE=$(engine image inspect -f '{{.Size}}' "$TAG")

# ---- run ----------------------------------------------------------------------------------

NAME=clippings-smoke-$$
VOLUME=clippings-smoke-data-$$
CREATED=()
cleanup() {
  local c
  for c in "${CREATED[@]}"; do engine rm -f -v "$c" >/dev/null 2>&1 || true; done
  engine volume rm -f "$VOLUME" >/dev/null 2>&1 || true
}
trap cleanup EXIT

free_port() {
  local port tries
  for tries in $(seq 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  fail "no free port found"
}

show_logs() { echo "---- logs of $1:" >&2; engine logs "$1" 2>&1 | tail -40 >&2 || true; }

# wait_healthy CONTAINER PORT: /healthz answers 200 within 120 s, the container still running.
wait_healthy() {
  local tries
  for tries in $(seq 240); do
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$2/healthz" 2>/dev/null; then return; fi
    if [ "$(engine inspect -f '{{.State.Running}}' "$1")" != true ]; then
      show_logs "$1"; fail "$1 exited before /healthz answered"
    fi
    sleep 0.5
  done
  show_logs "$1"; fail "/healthz did not answer within 120 s"
}

# The image declares a HEALTHCHECK and its command reports the running server healthy (run
# directly: Docker would run it on a timer, Podman without systemd has none).
check_healthcheck() {
  local declared
  declared=$(engine image inspect -f '{{json .Config.Healthcheck}}' "$TAG")
  [[ $declared == *clippings-healthcheck* ]] || fail "the image declares no HEALTHCHECK: $declared"
  engine exec "$1" /usr/local/bin/clippings-healthcheck ||
    fail "the image's HEALTHCHECK command reports $1 unhealthy"
}

get_json() {  # get_json PORT PATH
  curl -fsS --max-time 10 "http://127.0.0.1:$1$2" || fail "GET $2 failed"
}

# check_search PORT: the mounted articles answer QUERY with an outlet facet and highlighted
# snippets; prints the total.
check_search() {
  local body total
  body=$(get_json "$1" "/api/search?q=$QUERY")
  total=$(jq -r '.total' <<<"$body")
  [ "$total" -ge 1 ] 2>/dev/null || fail "q=$QUERY: total is $total, expected at least 1"
  jq -e '.facets.outlet | length > 0 and all(.count > 0)' <<<"$body" >/dev/null ||
    fail "q=$QUERY: no outlet facet: $(jq -c '.facets.outlet' <<<"$body")"
  jq -e '[.hits[].snippet_html | select(test("<mark>"))] | length > 0' <<<"$body" >/dev/null ||
    fail "q=$QUERY: no snippet_html with <mark>"
  jq -e '[.hits[].id] | length == (unique | length)' <<<"$body" >/dev/null ||
    fail "q=$QUERY: duplicate ids in the hits"
  echo "$total"
}

article_count() { get_json "$1" /api/stats | jq -r '.articles'; }

# expect_unchanged CONTAINER FILES: its last indexing run added and replaced nothing and found
# all FILES unchanged.
expect_unchanged() {
  local summary
  summary=$(engine logs "$1" 2>&1 | grep -o 'added [0-9]*, replaced [0-9]*, unchanged [0-9]*' | tail -1)
  [ "$summary" = "added 0, replaced 0, unchanged $2" ] ||
    { show_logs "$1"; fail "$1: the run says '$summary', expected 'added 0, replaced 0, unchanged $2'"; }
}

# expect_same PORT WHEN: the search total and article count are what the first run found.
expect_same() {
  local total articles
  total=$(check_search "$1")
  articles=$(article_count "$1")
  [ "$total" = "$TOTAL" ] || fail "$2: q=$QUERY total is $total, was $TOTAL"
  [ "$articles" = "$ARTICLES" ] || fail "$2: $articles articles, was $ARTICLES (duplicates?)"
}

PORT=$(free_port)
step "run $NAME on 127.0.0.1:$PORT with $MOUNTED at /articles"
engine volume create "$VOLUME" >/dev/null
CREATED+=("$NAME")
engine run -d --name "$NAME" -p "127.0.0.1:$PORT:8080" -v "$VOLUME:/data" \
  -v "$MOUNTED:/articles:ro" "$TAG" >/dev/null
wait_healthy "$NAME" "$PORT"
curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$PORT/readyz" || fail "/readyz is not 200"
check_healthcheck "$NAME"
uid=$(engine exec "$NAME" id -u) || fail "exec id -u failed"
[ "$uid" != 0 ] || fail "the server runs as root"
TOTAL=$(check_search "$PORT")
ARTICLES=$(article_count "$PORT")
MOUNTED_FILES=$(find "$MOUNTED" -type f ! -name catalog.csv ! -name '.*' | wc -l)
[ "$ARTICLES" = "$MOUNTED_FILES" ] || fail "/api/stats: $ARTICLES articles, expected $MOUNTED_FILES"
step "search ok: q=$QUERY total $TOTAL, $ARTICLES articles"

step "re-index while serving (the index command on the same volume)"
CREATED+=("$NAME-index")
engine run --name "$NAME-index" -v "$VOLUME:/data" -v "$MOUNTED:/articles:ro" "$TAG" index ||
  { show_logs "$NAME-index"; fail "re-index run failed"; }
expect_same "$PORT" "after the re-index"
expect_unchanged "$NAME-index" "$MOUNTED_FILES"

step "stop (SIGTERM, 10 s grace)"
stop_start=$SECONDS
engine stop -t 10 "$NAME" >/dev/null
stop_took=$((SECONDS - stop_start))
code=$(engine inspect -f '{{.State.ExitCode}}' "$NAME")
[ "$code" = 0 ] || { show_logs "$NAME"; fail "container exited with $code on SIGTERM (137: killed)"; }
[ "$stop_took" -lt 10 ] || fail "stop took ${stop_took}s: the grace period ran out"

step "start again on the same volume"
engine start "$NAME" >/dev/null
wait_healthy "$NAME" "$PORT"
expect_same "$PORT" "after the restart"
expect_unchanged "$NAME" "$MOUNTED_FILES"

step "bundled samples when nothing is mounted"
PORT3=$(free_port)
CREATED+=("$NAME-samples")
engine run -d --name "$NAME-samples" -p "127.0.0.1:$PORT3:8080" "$TAG" >/dev/null
wait_healthy "$NAME-samples" "$PORT3"
samples_total=$(get_json "$PORT3" '/api/search?q=stevedores' | jq -r '.total')
[ "$samples_total" = 3 ] || fail "samples: q=stevedores total is $samples_total, expected 3"
engine stop -t 10 "$NAME-samples" >/dev/null

step "a server over an empty index is alive but not ready, and the healthcheck says unhealthy"
PORT4=$(free_port)
CREATED+=("$NAME-empty")
engine run -d --name "$NAME-empty" -p "127.0.0.1:$PORT4:8080" "$TAG" bash -c \
  'mkdir -p /data/empty && clippings-indexer --db /data/clippings.db /data/empty >/dev/null; exec clippings-server' \
  >/dev/null
wait_healthy "$NAME-empty" "$PORT4"
ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT4/readyz")
[ "$ready" = 503 ] || fail "empty index: /readyz answered $ready, expected 503"
if engine exec "$NAME-empty" /usr/local/bin/clippings-healthcheck; then
  fail "empty index: the HEALTHCHECK command reports the container healthy"
fi
engine stop -t 10 "$NAME-empty" >/dev/null

step "with CLIPPINGS_LOG_FORMAT=json every line the container prints is a JSON object"
PORT5=$(free_port)
CREATED+=("$NAME-json")
engine run -d --name "$NAME-json" -p "127.0.0.1:$PORT5:8080" -e CLIPPINGS_LOG_FORMAT=json "$TAG" >/dev/null
wait_healthy "$NAME-json" "$PORT5"
get_json "$PORT5" '/api/search?q=stevedores' >/dev/null
engine stop -t 10 "$NAME-json" >/dev/null
json_log=$(engine logs "$NAME-json" 2>&1)
[ "$(wc -l <<<"$json_log")" -ge 4 ] || fail "json log: only $(wc -l <<<"$json_log") line(s)"
while IFS= read -r line; do
  jq -e 'type == "object" and has("time") and has("level") and has("message")' <<<"$line" >/dev/null 2>&1 ||
    fail "json log: not a JSON log object: $line"
done <<<"$json_log"

# ---- compose over shards ------------------------------------------------------------------

# Docker's compose, or Podman's (1.0 does not wait for a service to complete: the indexer runs
# first, on its own, as docker/compose.shards.yaml says).
if [ "$ENGINE" = docker ] && docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif [ "$ENGINE" = docker ]; then
  install_missing docker-compose:docker-compose
  COMPOSE=(docker-compose)
else
  install_missing podman-compose:podman-compose
  COMPOSE=(podman-compose)
fi
PROJECT=clippings-smoke-shards-$$
ARTICLES_COPY=$(mktemp -d)
chmod 755 "$ARTICLES_COPY"
cp -R "$MOUNTED/." "$ARTICLES_COPY/"
PORT6=$(free_port)
PORT7=$(free_port)
compose() {
  CLIPPINGS_IMAGE=$TAG CLIPPINGS_ARTICLES=$ARTICLES_COPY CLIPPINGS_PUBLISH=127.0.0.1:$PORT6 \
    CLIPPINGS_REPLICA_PUBLISH=127.0.0.1:$PORT7 \
    "${COMPOSE[@]}" -p "$PROJECT" -f "$REPO/docker/compose.shards.yaml" "$@"
}
# compose down, then whatever it leaves: Podman Compose 1.0 keeps the network, and a container
# restarting meanwhile may escape it.
cleanup_compose() {
  local id volume
  compose down -v >/dev/null 2>&1 || true
  for id in $(engine ps -a -q --filter "label=com.docker.compose.project=$PROJECT" 2>/dev/null); do
    engine rm -f -v "$id" >/dev/null 2>&1 || true
  done
  for volume in writer replica; do engine volume rm -f "${PROJECT}_$volume" >/dev/null 2>&1 || true; done
  engine network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
  rm -rf "$ARTICLES_COPY"
  cleanup
}
trap cleanup_compose EXIT

service_container() {  # service_container SERVICE: the id of its container
  engine ps -a -q --filter "label=com.docker.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" | head -1
}

# run_indexer_service: the compose file's indexer, once, to the end; fails unless it exits 0.
run_indexer_service() {
  local id code
  compose up indexer >"$WORK/compose-indexer.log" 2>&1 || true
  id=$(service_container indexer)
  [ -n "$id" ] || { cat "$WORK/compose-indexer.log" >&2; fail "compose: no indexer container"; }
  code=$(engine inspect -f '{{.State.ExitCode}}' "$id")
  [ "$code" = 0 ] || { show_logs "$id"; fail "compose: the indexer exited with $code"; }
}

# wait_ready PORT WHAT: /readyz answers 200 within 120 s.
wait_ready() {
  local tries
  for tries in $(seq 240); do
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/readyz" 2>/dev/null; then return; fi
    sleep 0.5
  done
  compose logs >&2 2>&1 | tail -60 >&2 || true
  fail "compose: $2 on port $1 was not ready within 120 s"
}

hit_ids() { get_json "$1" "/api/search?q=$2&collapse=false&size=100" | jq -c '[.hits[].id] | sort'; }

step "compose over two shards and a replica (docker/compose.shards.yaml, ${COMPOSE[*]})"
run_indexer_service
compose up -d >"$WORK/compose-up.log" 2>&1 || { cat "$WORK/compose-up.log" >&2; fail "compose up failed"; }
wait_ready "$PORT6" "the server over the remote shards"
wait_ready "$PORT7" "the server over the replica"
shards=$(get_json "$PORT6" /readyz | jq -c '[.shards[] | [.path, .articles > 0]]')
[ "$shards" = '[["shard-0:7011",true],["shard-1:7011",true]]' ] ||
  fail "compose: /readyz over the shards says $shards"
SHARDED_TOTAL=$(check_search "$PORT6")
[ "$SHARDED_TOTAL" = "$TOTAL" ] || fail "compose: q=$QUERY total is $SHARDED_TOTAL over the shards, $TOTAL in one database"
[ "$(article_count "$PORT6")" = "$ARTICLES" ] || fail "compose: the shards do not hold the $ARTICLES articles"
[ "$(hit_ids "$PORT7" "$QUERY")" = "$(hit_ids "$PORT6" "$QUERY")" ] ||
  fail "compose: the replica and the shards find different articles for q=$QUERY"
misspelt=${QUERY:0:1}$QUERY  # its first letter doubled
corrected=$(get_json "$PORT6" "/api/search?q=$misspelt" | jq -r '.corrected_from')
[ "$corrected" = "$misspelt" ] || fail "compose: q=$misspelt is not corrected over the shards (corrected_from: $corrected)"
step "compose: $ARTICLES articles over two shards and on the replica, the same hits"

step "compose: an article added, indexed again while both serve"
printf 'The quayside semaphore\n\nA semaphore tower on the quayside signals the zeppelinwatch crews.\n' \
  >"$ARTICLES_COPY/99_semaphore.txt"
chmod 644 "$ARTICLES_COPY/99_semaphore.txt"
run_indexer_service
found=$(get_json "$PORT6" '/api/search?q=zeppelinwatch' | jq -r '.total')
[ "$found" = 1 ] || fail "compose: the new article is not found over the shards (total $found)"
lag_start=$SECONDS
for tries in $(seq 120); do
  found=$(get_json "$PORT7" '/api/search?q=zeppelinwatch' | jq -r '.total')
  [ "$found" = 1 ] && break
  sleep 0.5
done
[ "$found" = 1 ] || fail "compose: the new article did not reach the replica within 60 s"
step "compose: the new article on the replica $((SECONDS - lag_start)) s after the indexer ended"
compose down -v >/dev/null 2>&1 || fail "compose down failed"
[ -z "$(engine ps -a -q --filter "label=com.docker.compose.project=$PROJECT")" ] ||
  fail "compose down left containers of $PROJECT"

step "OK: image $TAG $((SIZE / 1000000)) MB ($SIZE bytes); stop took ${stop_took}s"
