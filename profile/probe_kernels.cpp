// Peak FLOP/s needs at least latency × pipes independent FMA chains in
// flight (4 cycles × 2 pipes = 8 on current x86 cores): 16 chains where there
// are 32 vector registers, 12 where there are 16 (two more hold constants). The chains
// compute acc = acc · a + b with a just under 1, which converges to
// b / (1 - a): no overflow and no denormals, at any iteration count.
//
// The intrinsics are x86-only: elsewhere the probe runs the same chains as
// plain C++, which is a limit for the compiler's code, not the machine's.

#include "profile/probe_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#define MNISTBENCH_PROBE_X86 1
#include <immintrin.h>

#include "common/platform/cpu_features.h"
#endif

namespace mnistbench {

namespace {

constexpr float kScale = 0.999f;
constexpr float kAdd = 0.001f;

#if MNISTBENCH_PROBE_X86
// The lanes of a vector, stored, added up: plain code for every width (and
// GCC 12's _mm512_reduce_add_ps trips its own -Wuninitialized).
struct Lanes {
  alignas(64) float values[16];
  float sum(int count) const {
    float total = 0;
    for (int i = 0; i < count; ++i) total += values[i];
    return total;
  }
};

__attribute__((target("avx512f"))) float fma_chains_avx512(std::int64_t iterations) {
  constexpr int kChains = 16;
  const __m512 a = _mm512_set1_ps(kScale), b = _mm512_set1_ps(kAdd);
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(float(c));
  for (std::int64_t i = 0; i < iterations; ++i)
#pragma GCC unroll 16
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  for (int c = 1; c < kChains; ++c) acc[0] = _mm512_add_ps(acc[0], acc[c]);
  Lanes lanes;
  _mm512_store_ps(lanes.values, acc[0]);
  return lanes.sum(16);
}

__attribute__((target("avx512f"))) float sum_avx512(const float* data, std::size_t n) {
  __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  for (std::size_t i = 0; i < n; i += 64) {
    s0 = _mm512_add_ps(s0, _mm512_load_ps(data + i));
    s1 = _mm512_add_ps(s1, _mm512_load_ps(data + i + 16));
    s2 = _mm512_add_ps(s2, _mm512_load_ps(data + i + 32));
    s3 = _mm512_add_ps(s3, _mm512_load_ps(data + i + 48));
  }
  Lanes lanes;
  _mm512_store_ps(lanes.values, _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3)));
  return lanes.sum(16);
}

__attribute__((target("avx2,fma"))) float fma_chains_avx2(std::int64_t iterations) {
  constexpr int kChains = 12;
  const __m256 a = _mm256_set1_ps(kScale), b = _mm256_set1_ps(kAdd);
  __m256 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm256_set1_ps(float(c));
  for (std::int64_t i = 0; i < iterations; ++i)
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
  for (int c = 1; c < kChains; ++c) acc[0] = _mm256_add_ps(acc[0], acc[c]);
  Lanes lanes;
  _mm256_store_ps(lanes.values, acc[0]);
  return lanes.sum(8);
}

__attribute__((target("avx2,fma"))) float sum_avx2(const float* data, std::size_t n) {
  __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  for (std::size_t i = 0; i < n; i += 32) {
    s0 = _mm256_add_ps(s0, _mm256_load_ps(data + i));
    s1 = _mm256_add_ps(s1, _mm256_load_ps(data + i + 8));
    s2 = _mm256_add_ps(s2, _mm256_load_ps(data + i + 16));
    s3 = _mm256_add_ps(s3, _mm256_load_ps(data + i + 24));
  }
  Lanes lanes;
  _mm256_store_ps(lanes.values, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
  return lanes.sum(8);
}

// SSE2 has no FMA: a multiply and an add, still 2 FLOPs per lane and step.
float fma_chains_sse(std::int64_t iterations) {
  constexpr int kChains = 12;
  const __m128 a = _mm_set1_ps(kScale), b = _mm_set1_ps(kAdd);
  __m128 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm_set1_ps(float(c));
  for (std::int64_t i = 0; i < iterations; ++i)
#pragma GCC unroll 12
    for (int c = 0; c < kChains; ++c) acc[c] = _mm_add_ps(_mm_mul_ps(acc[c], a), b);
  for (int c = 1; c < kChains; ++c) acc[0] = _mm_add_ps(acc[0], acc[c]);
  Lanes lanes;
  _mm_store_ps(lanes.values, acc[0]);
  return lanes.sum(4);
}

float sum_sse(const float* data, std::size_t n) {
  __m128 s0 = _mm_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
  for (std::size_t i = 0; i < n; i += 16) {
    s0 = _mm_add_ps(s0, _mm_load_ps(data + i));
    s1 = _mm_add_ps(s1, _mm_load_ps(data + i + 4));
    s2 = _mm_add_ps(s2, _mm_load_ps(data + i + 8));
    s3 = _mm_add_ps(s3, _mm_load_ps(data + i + 12));
  }
  Lanes lanes;
  _mm_store_ps(lanes.values, _mm_add_ps(_mm_add_ps(s0, s1), _mm_add_ps(s2, s3)));
  return lanes.sum(4);
}

constexpr ProbeKernels kAvx512{"AVX-512", 16 * 16 * 2, fma_chains_avx512, sum_avx512};
constexpr ProbeKernels kAvx2{"AVX2+FMA", 12 * 8 * 2, fma_chains_avx2, sum_avx2};
constexpr ProbeKernels kSse{"SSE2", 12 * 4 * 2, fma_chains_sse, sum_sse};

#else
constexpr int kPortableChains = 32;

float fma_chains_portable(std::int64_t iterations) {
  float acc[kPortableChains];
  for (int c = 0; c < kPortableChains; ++c) acc[c] = float(c);
  for (std::int64_t i = 0; i < iterations; ++i)
    for (float& a : acc) a = a * kScale + kAdd;
  float total = 0;
  for (float a : acc) total += a;
  return total;
}

float sum_portable(const float* data, std::size_t n) {
  float s[4] = {};
  for (std::size_t i = 0; i < n; i += 4)
    for (int j = 0; j < 4; ++j) s[j] += data[i + j];
  return (s[0] + s[1]) + (s[2] + s[3]);
}

constexpr ProbeKernels kPortable{"portable C++", kPortableChains * 2, fma_chains_portable, sum_portable};
#endif

}  // namespace

const ProbeKernels& best_probe_kernels() {
#if MNISTBENCH_PROBE_X86
  if (cpu_has(CpuFeature::avx512f)) return kAvx512;
  if (cpu_has(CpuFeature::avx2) && cpu_has(CpuFeature::fma)) return kAvx2;
  return kSse;
#else
  return kPortable;
#endif
}

}  // namespace mnistbench
