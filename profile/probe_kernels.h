#pragma once
// The two loops the machine probe times, once per instruction set. The
// binary is built for baseline x86-64; each set's loops carry a target
// attribute and run only where common/platform/cpu_features.h reports that set. On
// other CPUs one portable version runs.

#include <cstddef>
#include <cstdint>

namespace mnistbench {

struct ProbeKernels {
  const char* isa;              // "AVX-512", "AVX2+FMA", "SSE2", "portable C++"
  // FLOPs per iteration of fma_chains: chains × lanes × 2.
  double flops_per_iteration;
  // Runs independent multiply-add chains for iterations steps; returns a
  // value that depends on all of them, so no work can be skipped.
  float (*fma_chains)(std::int64_t iterations);
  // Sum of data (n), n a multiple of 64, data 64-byte aligned, read with vector loads.
  float (*sum)(const float* data, std::size_t n);
};

// The widest set this CPU supports: AVX-512, else AVX2 with FMA, else SSE2
// (x86-64's baseline); the portable loops elsewhere.
const ProbeKernels& best_probe_kernels();

}  // namespace mnistbench
