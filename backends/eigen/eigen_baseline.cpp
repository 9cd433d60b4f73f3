// The baseline build, with the project's own flags (SSE2 on x86-64): for a
// CPU with neither AVX2+FMA nor AVX-512, and the one path on other CPUs.
// Eigen's namespace gets this file's own name (eigen_ops.h says why).

#define Eigen mnistbench_eigen_baseline
#include "backends/eigen/eigen_ops.h"

namespace mnistbench::eigen {

#if defined(__x86_64__) || defined(_M_X64)
const Kernels kBaselineKernels = make_kernels("SSE2 (baseline x86-64)");
#else
const Kernels kBaselineKernels = make_kernels("Eigen's vectorisation for this CPU's baseline");
#endif

}  // namespace mnistbench::eigen
