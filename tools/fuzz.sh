#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz: npy, npz, csv, idx, checkpoint)
# with clang-14 under AddressSanitizer + UndefinedBehaviorSanitizer
# (float-cast-overflow included) and runs each for SECONDS, starting from
# its seed corpus in tests/fuzz/corpus/<target>. Any finding (a crash, a
# sanitizer report, an unexpected exception, a leak, an input slower than
# 10 s or using more than 2 GB) fails the run; libFuzzer writes the input
# to build-fuzz/findings/<target>-*, which reproduces it:
#   build-fuzz/tests/fuzz/fuzz_<target> build-fuzz/findings/<target>-crash-...
# The corpus grown by a run stays in build-fuzz/corpus/<target> for the next.
# Usage: tools/fuzz.sh [SECONDS [TARGET...]]   (default: 30 s, all five)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(npy npz csv idx checkpoint)

tools/setup.sh clang-14 libclang-rt-14-dev
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DXGRAD_FUZZ=ON -DXGRAD_BUILD_TESTS=OFF \
  -DXGRAD_BUILD_TOOLS=OFF -DXGRAD_NATIVE=OFF "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_targets

mkdir -p build-fuzz/findings
failed=()
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  log=build-fuzz/fuzz_$t.log
  mkdir -p "$corpus"
  max_len=4096
  case "$t" in npz | checkpoint) max_len=8192 ;; esac
  if build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$t-" \
    "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$t: $runs executions in $seconds s, no finding"
  else
    echo "fuzz_$t: FINDING (log: $log)"
    grep -v -e '^#' -e '^INFO' "$log" | tail -n 40
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
