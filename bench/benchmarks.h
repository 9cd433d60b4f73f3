#pragma once
// Turns a backend and what is measured into Google Benchmark benchmarks
// named backend/op/batch ("simd/matmul_forward_x_w1t/59000",
// "tbb/train_step/64"), so --benchmark_filter picks a backend, an op or a
// batch. Each checks its result against naive once, before timing, and
// reports an error instead of a time on a mismatch.

#include "common/backend.h"

namespace mnistbench::bench {

// Every op of the interface at batch m, as one training step calls it.
void register_op_benchmarks(Backend& backend, int m);

// One whole training step (forward, backward, update) at batch m.
void register_train_step_benchmark(Backend& backend, int m);

// How many benchmarks found a result outside the tolerances so far.
int mismatches();

}  // namespace mnistbench::bench
