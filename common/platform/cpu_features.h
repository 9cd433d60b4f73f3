#pragma once
// The one CPU-feature detector: the simd backend's dispatch, the machine
// probe, `list` and every result's machine record all ask it. Each feature
// includes the operating system's support for the registers it needs (the
// compiler's check does both). On a CPU other than x86-64 every x86 feature
// is false and the portable paths run.

#include <string>
#include <vector>

namespace mnistbench {

enum class CpuFeature {
  sse42,
  avx,
  avx2,
  fma,
  avx512f,
  avx512bw,
  avx512dq,
  avx512vl,
  avx512_vnni,
  avx512_bf16,
};

// Detected once; the same answer for the life of the process.
bool cpu_has(CpuFeature feature);

// The names of those present, in the enum's order: "SSE4.2", "AVX2", "AVX512F", ...
std::vector<std::string> cpu_feature_names();

}  // namespace mnistbench
