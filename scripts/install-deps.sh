#!/usr/bin/env bash
# Installs the Debian packages Clippings needs. Debian 12 / Ubuntu 22.04+.
#   scripts/install-deps.sh          build and run
#   scripts/install-deps.sh --test   also what the tests need (Chromium and Node.js for the browser
#                                    tests, Python and its Xapian bindings for the bench scripts'
#                                    tests, xapian-check for the fault tests)
#   scripts/install-deps.sh --fuzz   also clang and its libFuzzer, for scripts/fuzz.sh
#   scripts/install-deps.sh --ci     all of the above and ccache, so CI's second build of the tree
#                                    reuses its first
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config
  libxapian-dev libcpp-httplib-dev nlohmann-json3-dev libspdlog-dev libyaml-cpp-dev
  libcli11-dev libgumbo-dev libcsv-dev libutfcpp-dev libjemalloc-dev libabsl-dev doctest-dev libxml2-dev
  libzstd-dev libicu-dev libuchardet-dev libcld2-dev libxxhash-dev
  curl zstd
)
test_packages=(chromium fonts-dejavu-core python3 python3-xapian xapian-tools)
fuzz_packages=(clang libclang-rt-14-dev)
ci_packages=(ccache)

packages=("${build_packages[@]}")
if [ "${1:-}" = "--test" ] || [ "${1:-}" = "--ci" ]; then
  packages+=("${test_packages[@]}")
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi
if [ "${1:-}" = "--fuzz" ] || [ "${1:-}" = "--ci" ]; then
  packages+=("${fuzz_packages[@]}")
fi
[ "${1:-}" != "--ci" ] || packages+=("${ci_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
