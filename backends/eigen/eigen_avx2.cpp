// The AVX2+FMA build: compiled with -mavx2 -mfma (backend.cmake) and chosen
// only on a CPU that has both; a compiler for another CPU compiles this file
// to nothing. Eigen's namespace gets this file's own name
// (eigen_ops.h says why).

#if defined(__x86_64__) || defined(_M_X64)

#define Eigen mnistbench_eigen_avx2
#include "backends/eigen/eigen_ops.h"

#if !defined(EIGEN_VECTORIZE_AVX2) || !defined(EIGEN_VECTORIZE_FMA)
#error "Eigen does not vectorise for AVX2+FMA with these flags: this build would be mislabelled"
#endif

namespace mnistbench::eigen {

const Kernels kAvx2Kernels = make_kernels("AVX2+FMA");

}  // namespace mnistbench::eigen

#endif
