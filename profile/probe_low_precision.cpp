// 16 independent chains, as the float32 probe runs (probe_kernels.cpp), so
// that latency × pipes instructions are in flight. bf16: acc += a·b over
// 32 pairs of values 2^-10, 2^-19 a lane an iteration, far from overflow at
// any count the probe runs. int8: acc += 4 · (1 · 1) a lane an iteration, in
// int32, exact until 2^29 iterations.

#include "profile/probe_low_precision.h"

#include "common/platform/cpu_features.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace mnistbench {

namespace {

constexpr int kChains = 16;

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512bf16"))) float bf16_chains(std::int64_t iterations) {
  // 2^-10 in bf16 is 0x3A80; two of them to a 32-bit lane.
  const __m512bh a = (__m512bh)_mm512_set1_epi32(0x3A803A80);
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(float(c));
  for (std::int64_t i = 0; i < iterations; ++i)
#pragma GCC unroll 16
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_dpbf16_ps(acc[c], a, a);
  for (int c = 1; c < kChains; ++c) acc[0] = _mm512_add_ps(acc[0], acc[c]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, acc[0]);
  return lanes[0] + lanes[15];
}

__attribute__((target("avx512f,avx512vnni"))) float int8_chains(std::int64_t iterations) {
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_epi32(c);
  for (std::int64_t i = 0; i < iterations; ++i)
#pragma GCC unroll 16
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_dpbusd_epi32(acc[c], ones, ones);
  for (int c = 1; c < kChains; ++c) acc[0] = _mm512_add_epi32(acc[0], acc[c]);
  alignas(64) std::int32_t lanes[16];
  _mm512_store_si512(lanes, acc[0]);
  return float(lanes[0] + lanes[15]);
}

// Per iteration: kChains instructions of 16 lanes, each 2 (bf16) or 4
// (int8) multiply-adds of 2 operations.
const LowPrecisionProbe kBf16Probe{kChains * 16 * 2 * 2.0, bf16_chains};
const LowPrecisionProbe kInt8Probe{kChains * 16 * 4 * 2.0, int8_chains};
#endif

}  // namespace

const LowPrecisionProbe* bf16_probe() {
#if defined(__x86_64__)
  if (cpu_has(CpuFeature::avx512f) && cpu_has(CpuFeature::avx512_bf16)) return &kBf16Probe;
#endif
  return nullptr;
}

const LowPrecisionProbe* int8_probe() {
#if defined(__x86_64__)
  if (cpu_has(CpuFeature::avx512f) && cpu_has(CpuFeature::avx512_vnni)) return &kInt8Probe;
#endif
  return nullptr;
}

}  // namespace mnistbench
