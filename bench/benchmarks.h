#pragma once
// Turns a backend and what is measured into Google Benchmark benchmarks
// named backend/op/batch, the op as the profiler names it
// ("simd/matmul_forward/L1/59000", "tbb/train_step/64"), so
// --benchmark_filter picks a backend, an op, a layer or a batch. Each checks
// its result against naive once, before timing, and reports an error instead
// of a time on a mismatch.

#include "common/model/backend.h"

namespace mnistbench::bench {

// Every op of the interface at batch m, for each layer, as one training step calls it.
void register_op_benchmarks(Backend& backend, const NetworkShape& shape, int m);

// One whole training step (Backend::train_step: compute_gradients, then apply_update) at batch m.
void register_train_step_benchmark(Backend& backend, const NetworkShape& shape, int m);

// How many benchmarks found a result outside the tolerances so far.
int mismatches();

}  // namespace mnistbench::bench
