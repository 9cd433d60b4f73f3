// Which precisions the simd backend runs on this CPU. Built with the
// project's baseline flags: it only asks the one detector.

#include "backends/simd/low_precision.h"

namespace mnistbench::simd {

std::optional<std::string> low_precision_refusal(Precision precision, bool (*has)(CpuFeature)) {
  if (precision == Precision::fp32) return std::nullopt;
  if (!kAvxPathsBuilt) return "has bf16 and int8 kernels for x86-64 only";
  // low_precision_avx512.cpp's flags; int8's backward product is bf16's.
  const bool avx512 = has(CpuFeature::avx512f) && has(CpuFeature::avx512bw) &&
                      has(CpuFeature::avx512vl) && has(CpuFeature::avx2) && has(CpuFeature::fma);
  if (!avx512 || !has(CpuFeature::avx512_bf16))
    return "needs AVX512_BF16 (vdpbf16ps), which this CPU lacks";
  if (precision == Precision::int8 && !has(CpuFeature::avx512_vnni))
    return "needs AVX512_VNNI (vpdpbusd) for int8, which this CPU lacks";
  return std::nullopt;
}

}  // namespace mnistbench::simd
