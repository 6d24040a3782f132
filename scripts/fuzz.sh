#!/usr/bin/env bash
# Runs the libFuzzer harnesses of fuzz/ (docs/FUZZING.md): each TARGET, or all of them, for N
# seconds, one after another, one process at a time.
#   scripts/fuzz.sh [--seconds N] [TARGET...]      N defaults to 60; hours: --seconds 3600
#   scripts/fuzz.sh --list                         the targets
# Builds them with clang into build-fuzz/ ($FUZZ_BUILD_DIR). Each run starts from the seeds in
# fuzz/corpus/TARGET (and the test fixtures and samples that fit the target) and the corpus
# earlier runs grew in build-fuzz/corpus/TARGET. An input that crashes, leaks, breaks a check
# or takes over 10 s is saved in build-fuzz/artifacts/ and the script ends with status 1 after
# naming it; it belongs in tests/data/fuzz/ with a test.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(fuzz_catalog fuzz_dates fuzz_highlight fuzz_html fuzz_json_line fuzz_params
             fuzz_query fuzz_text fuzz_url)
seconds=60
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --list) printf '%s\n' "${all_targets[@]}"; exit 0 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *)
      [[ " ${all_targets[*]} " == *" $1 "* ]] || { echo "fuzz.sh: no target $1 (see --list)" >&2; exit 2; }
      targets+=("$1"); shift ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --seconds takes a whole number" >&2; exit 2; }
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

scripts/install-deps.sh --fuzz
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
# -O1 with line tables only, as libFuzzer's documentation advises: fast enough to fuzz, reports
# name file and line, and the build takes far less compiler time than -O2 -g.
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" -DCLIPPINGS_FUZZ=ON -DCLIPPINGS_BUILD_TESTS=OFF -DCLIPPINGS_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j "${JOBS:-$(nproc)}" --target "${targets[@]}"

# Longest input per target: room for nesting and size bombs where the parser reads files.
max_len() {
  case "$1" in
    fuzz_html|fuzz_text|fuzz_json_line|fuzz_catalog) echo 32768 ;;
    fuzz_highlight) echo 8192 ;;
    fuzz_dates) echo 256 ;;
    *) echo 2048 ;;
  esac
}

# Seeds besides fuzz/corpus/TARGET: the fixtures and samples of the repository, read as they are.
seed_dirs() {
  case "$1" in
    fuzz_html) echo samples/html tests/data/ingest ;;
    fuzz_text) echo samples/text samples/markdown tests/data/corpus tests/data/ingest ;;
    fuzz_catalog) echo tests/data/corpus tests/data/ingest ;;
  esac
}

mkdir -p "$build_dir/artifacts" "$build_dir/logs"
failed=()
for target in "${targets[@]}"; do
  corpus="$build_dir/corpus/$target"
  log="$build_dir/logs/$target.log"
  mkdir -p "$corpus"
  seeds=()
  for dir in "fuzz/corpus/$target" $(seed_dirs "$target"); do [ -d "$dir" ] && seeds+=("$dir"); done
  dict=()
  [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
  if "$build_dir/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
       -max_len="$(max_len "$target")" -print_final_stats=1 \
       -artifact_prefix="$build_dir/artifacts/$target-" "${dict[@]}" \
       "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED: $(grep -m1 -E 'ERROR|check failed|Test unit written' "$log" || tail -1 "$log")"
    failed+=("$target")
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $target: ${runs:-?} runs in ${seconds} s, corpus $(ls "$corpus" | wc -l) inputs; $result"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]} (logs in $build_dir/logs, inputs in $build_dir/artifacts)" >&2
  exit 1
fi
