#pragma once
// The simd backend's bf16 and int8 products with the input (the precisions
// of common/model/precision.h), with the same meanings and arguments as
// Kernels::matmul_x_w1t_bytes and Kernels::matmul_dz1t_x_bytes: the backend
// puts them in place of those two in a copy of its table, so the fused step
// (fused_step.h) runs unchanged, reading each block of pixel bytes once.
//
// Declarations only, like kernels.h: low_precision_avx512.cpp alone is built
// with AVX512_BF16 and AVX512_VNNI, and runs only where the CPU has them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "backends/simd/kernels.h"
#include "common/model/precision.h"
#include "common/platform/cpu_features.h"

namespace mnistbench::simd {

struct LowPrecisionKernels {
  // W1 (N, K) lowered for the forward product: lowered_w1_bytes(precision,
  // N, K) bytes at out, 64-byte aligned; at int8 also each row's scale, into
  // scales (N floats; unused at bf16). The weights do not change within a
  // step, so the backend lowers them once per step, for every tile and block.
  std::size_t (*lowered_w1_bytes)(Precision precision, int N, int K);
  void (*lower_w1)(Precision precision, const float* W1, int N, int K, void* out, float* scales);
  // Z1 (M, N) = alpha · X (M, K) · bf16(W1)ᵀ, float32 sums (vdpbf16ps), W1
  // lowered at bf16 (scales unused).
  decltype(Kernels::matmul_x_lowered_w1t_bytes) x_w1t_bf16;
  // Z1 (M, N) = alpha · s · Σ X · q: X as unsigned bytes, W1 lowered at int8
  // to each row's signed bytes q and scale s, summed exactly in int32 (vpdpbusd).
  decltype(Kernels::matmul_x_lowered_w1t_bytes) x_w1t_int8;
  // dW1 (M, N) = alpha · bf16(dZ1)ᵀ · X + beta · dW1, float32 sums (vdpbf16ps).
  decltype(Kernels::matmul_dz1t_x_bytes) dz1t_x_bf16;
};

#if MNISTBENCH_SIMD_AVX_PATHS
extern const LowPrecisionKernels kAvx512LowPrecisionKernels;  // low_precision_avx512.cpp
#endif

// Why the simd backend cannot run precision on a CPU that has the features
// for which has is true, or nothing when it can. The backend passes cpu_has;
// tests pass a pretend CPU.
std::optional<std::string> low_precision_refusal(Precision precision,
                                                 bool (*has)(CpuFeature) = cpu_has);

}  // namespace mnistbench::simd
