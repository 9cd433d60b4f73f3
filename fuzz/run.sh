#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang in build-fuzz/ and runs each for
# SECONDS (default 60), one after another. Exits non-zero on the first finding
# (a crash, a sanitizer report, an escaped exception, a leak, a timeout or
# running out of memory); libFuzzer leaves the input in build-fuzz/findings/.
# Usage: fuzz/run.sh [SECONDS]
set -euo pipefail

seconds="${1:-60}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$repo_root/build-fuzz"

CXX="${CXX:-clang++}" cmake -S "$repo_root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMNISTBENCH_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

"$build/fuzz/make_seeds" "$build/seeds"
mkdir -p "$build/findings"
for harness in fuzz_idx fuzz_idx_gzip fuzz_csv fuzz_npy fuzz_cli; do
  echo "== $harness for ${seconds}s"
  # The corpus folder comes first: it is where new inputs are kept, so a later
  # run starts from what earlier runs found. The seeds are only read.
  mkdir -p "$build/corpus/$harness"
  # 1 GiB is above anything a loader may allocate for inputs of this size
  # (kilobytes); five seconds per input is far above the microseconds one
  # takes, and only a hang (a blocking read, a runaway loop) gets near it.
  "$build/fuzz/$harness" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=5 \
    -artifact_prefix="$build/findings/$harness-" -print_final_stats=1 \
    "$build/corpus/$harness" "$build/seeds/$harness"
done
