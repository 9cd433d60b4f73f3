// The AVX-512 build: compiled with -mavx512f -mavx2 -mfma (backend.cmake) and
// chosen only on a CPU that has all three; a compiler for another CPU
// compiles this file to nothing. Eigen's namespace gets this file's own name
// (eigen_ops.h says why).

#if defined(__x86_64__) || defined(_M_X64)

#define Eigen mnistbench_eigen_avx512
#include "backends/eigen/eigen_ops.h"

#if !defined(EIGEN_VECTORIZE_AVX512) || !defined(EIGEN_VECTORIZE_FMA)
#error "Eigen does not vectorise for AVX-512 with these flags: this build would be mislabelled"
#endif

namespace mnistbench::eigen {

const Kernels kAvx512Kernels = make_kernels("AVX-512");

}  // namespace mnistbench::eigen

#endif
