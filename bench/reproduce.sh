#!/usr/bin/env bash
# Regenerates results/ from scratch: builds Release into build-bench/, probes
# the machine's limits (`mnistbench machine`), runs the Google Benchmark
# suite, `mnistbench compare` (the tutorial's settings, then mini-batch 64),
# `mnistbench race` and the same race recipe in PyTorch,
# the thread sweep, `mnistbench profile` of every backend, the peak memory
# of a full-batch run, the NumPy and PyTorch peers from the same initial
# weights and split, the data-parallel scaling (bench/scaling.py, under
# mpirun), the precision ladder (bench/precision_ladder.py: simd and onednn
# at fp32, bf16 and int8), and bench/report.py, which writes the run's README.md (with issue
# 14's targets computed from this run) and its plots. About 20 minutes on 2
# cores. Run after scripts/setup.sh (compilers and libraries); the peers'
# Debian packages are installed here when missing.
#
# One reference run per machine: the run goes to results/<cpu>-<microarchitecture>/
# (results/amd-epyc-zen5/), replacing only that machine's earlier run, and
# bench/results_index.py then writes results/README.md, each machine's
# targets side by side. Everything is written to build-bench/reproduce/
# first and moved only at the end, so a failed or interrupted run leaves the
# committed results as they were. Each step's output goes to a log there.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=build-bench
work=$build/reproduce
out=$work/results
logs=$work/logs
python=/usr/bin/python3   # Debian's, where python3-torch and matplotlib live
threads=$(nproc)
sweep=(1 2)
# Timing a peer is the one place the environment's OpenBLAS kernel settings
# are dropped (they hold the kernel back on some CPUs; tests and CI keep them).
peer_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
started=$SECONDS

step() { printf '[%3d:%02d] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }

# Runs a command with its output in $logs/$1.log; on failure shows the log's end.
quietly() {
  local log=$logs/$1.log
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "reproduce: failed: $*" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}

missing=()
for package in python3-numpy python3-matplotlib python3-torch libbenchmark-dev libbenchmark-tools; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  step "installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rm -rf "$work"
mkdir -p "$out/peers" "$out/threads" "$logs"
quietly fetch_mnist scripts/fetch_mnist.sh

step "building Release into $build/"
quietly configure cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
quietly build cmake --build "$build" -j"$threads" --target mnistbench mnistbench_bench
mnistbench=$build/cli/mnistbench
bench=$build/bench/mnistbench_bench

step "machine limits (peak FLOP/s, read bandwidth, step limit) -> machine.json"
quietly machine "$mnistbench" machine --threads "$threads" --json "$out/machine.json"
machine_folder=results/$($python -c 'import json, sys; sys.path.insert(0, "bench"); import report_data
print(report_data.machine_folder_name(json.load(open(sys.argv[1]))["machine"]))' "$out/machine.json")
step "this machine's results folder: $machine_folder/"

step "Google Benchmark suite, $threads threads (a few minutes) -> benchmark.json"
MNISTBENCH_THREADS=$threads quietly benchmark \
  "$bench" --benchmark_out="$out/benchmark.json" --benchmark_out_format=json

for n in "${sweep[@]}"; do
  step "thread sweep: training steps on $n thread(s) -> threads/benchmark_threads$n.json"
  MNISTBENCH_THREADS=$n quietly "benchmark_threads$n" \
    "$bench" --benchmark_filter=/train_step/ --benchmark_out="$out/threads/benchmark_threads$n.json" \
    --benchmark_out_format=json
  # The blas rows again with OpenBLAS choosing its kernel from the CPU: the
  # environment's OPENBLAS_CORETYPE holds it back on some machines, and a
  # reader should see both (the report labels each with its core).
  step "blas with OpenBLAS's own kernel on $n thread(s) -> threads/benchmark_blas_own_kernel_threads$n.json"
  MNISTBENCH_THREADS=$n quietly "benchmark_blas_own_kernel_threads$n" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    "$bench" --benchmark_filter='^blas/train_step/' \
    --benchmark_out="$out/threads/benchmark_blas_own_kernel_threads$n.json" --benchmark_out_format=json
done

step "mnistbench compare, the tutorial's settings (~10 minutes) -> compare.json"
quietly compare "$mnistbench" compare --threads "$threads" --json "$out/compare.json" \
  --save-initial-weights "$work/initial"
# Five repeats, so that this file can serve as `compare --baseline` (a
# baseline of one repeat can never show a significant change).
step "mnistbench compare --batch-size 64 --repeats 5 -> compare_batch64.json"
quietly compare_batch64 "$mnistbench" compare --threads "$threads" --batch-size 64 --repeats 5 \
  --json "$out/compare_batch64.json"

step "mnistbench race, the default recipe on every backend, 10 seeds -> race.json"
quietly race "$mnistbench" race --threads "$threads" --json "$out/race.json" --save-initial-weights "$work/race-initial"
# The same recipe in PyTorch from the same seeds' weights and splits, the
# JSON recording the kernel that ran.
# A race's step (batch 12) is too small to share: each thread count runs,
# and the report compares with PyTorch's faster one.
for n in "${sweep[@]}"; do
  step "peer torch on $n thread(s): the race recipe -> peers/torch_race_threads$n.json"
  quietly "torch_race_threads$n" "${peer_env[@]}" $python bench/peers/torch_race.py \
    --race "$out/race.json" --initial "$work/race-initial" --threads "$n" --json "$out/peers/torch_race_threads$n.json"
done

# Where each backend spends a step: the profiler's per-op breakdown, one thread
# (the share outside the library's products does not depend on threads), for
# the report's sentence on what limits each.
mkdir -p "$out/profile"
backends=$($python -c 'import json, sys; print(" ".join(r["backend"] for r in json.load(open(sys.argv[1]))["runs"]))' \
  "$out/compare.json")
for backend in $backends; do
  step "profile $backend, full batch -> profile/$backend.json"
  quietly "profile_$backend" "$mnistbench" profile --backend "$backend" --threads 1 --steps 20 \
    --limits "$out/machine.json" --json "$out/profile/$backend.json"
done

# Peak memory of a full-batch training run of the fastest backend, on one
# thread and on all (the process's maximum resident set, from GNU time).
backend=simd
for n in 1 "$threads"; do
  run=${backend}_threads$n
  step "peak RSS of 20 full-batch steps of $backend --threads $n -> rss_$run.json"
  quietly "rss_$run" /usr/bin/time -v "$mnistbench" train --backend "$backend" --threads "$n" --iterations 20
  kib=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\).*/\1/p' "$logs/rss_$run.log")
  printf '{"backend": "%s", "threads": %d, "iterations": 20, "max_rss_kib": %d}\n' \
    "$backend" "$n" "$kib" >"$out/rss_$run.json"
done

# The peers: the tutorial's NumPy code (float64 as published, and float32)
# and PyTorch, each at its best (peer_env); each JSON records the kernel
# OpenBLAS then chose.
peers=("numpy-float64 bench/peers/numpy_peer.py --dtype float64"
       "numpy-float32 bench/peers/numpy_peer.py --dtype float32"
       "torch bench/peers/torch_peer.py")
for peer in "${peers[@]}"; do
  read -r name script options <<<"$peer"
  step "peer $name: full batch, 500 steps, then batch 64 -> peers/$name*.json"
  quietly "$name" "${peer_env[@]}" $python $script $options --initial "$work/initial" --threads "$threads" \
    --json "$out/peers/$name.json"
  quietly "${name}_batch64" "${peer_env[@]}" $python $script $options --initial "$work/initial" --threads "$threads" \
    --batch-size 64 --json "$out/peers/${name}_batch64.json"
  for n in "${sweep[@]}"; do
    step "peer $name on $n thread(s): 50 full-batch steps, 1 epoch of batch 64"
    quietly "${name}_threads$n" "${peer_env[@]}" $python $script $options --initial "$work/initial" --threads "$n" \
      --iterations 50 --json "$out/threads/${name}_threads$n.json"
    quietly "${name}_batch64_threads$n" "${peer_env[@]}" $python $script $options --initial "$work/initial" \
      --threads "$n" --batch-size 64 --json "$out/threads/${name}_batch64_threads$n.json"
  done
done

step "data-parallel scaling: 1 process x $threads threads against $threads processes -> scaling/"
quietly scaling $python bench/scaling.py --mnistbench "$mnistbench" --processes "$threads" --out "$out/scaling"

# The precision ladder: the backends with bf16 and int8 products (simd's
# kernels, oneDNN's primitives), each at fp32, bf16 and int8.
step "precision ladder: simd and onednn at fp32, bf16, int8; full batch and batch 64 -> precision_ladder/"
quietly precision_ladder $python bench/precision_ladder.py --mnistbench "$mnistbench" --backends simd,onednn \
  --threads "$threads" --out "$out/precision_ladder"

step "report -> $machine_folder/README.md and $machine_folder/plots/"
quietly report $python bench/report.py "$out"

rm -rf "$machine_folder"
mkdir -p results
mv "$out" "$machine_folder"
step "index of every machine's run -> results/README.md"
quietly index $python bench/results_index.py results
step "done: $machine_folder/README.md and results/README.md (logs in $logs/)"
