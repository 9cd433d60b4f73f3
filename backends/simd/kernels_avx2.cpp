// The AVX2+FMA path: 8-float ymm vectors, tails by vmaskmov (which, like a
// mask register, neither reads nor writes the lanes left out). Compiled with
// -mavx2 -mfma (backend.cmake) and chosen only on a CPU that has both; a
// compiler for another CPU compiles this file to nothing.

#include "backends/simd/kernels.h"

#if MNISTBENCH_SIMD_AVX_PATHS

#include <immintrin.h>

#include "backends/simd/kernel_templates.h"

namespace mnistbench::simd {
namespace {

struct Avx2 {
  using vec = __m256;
  using mask = __m256i;  // all ones in the lanes to keep
  static constexpr int width = 8;
  // Forward tile: 2 samples × 5 rows of W1 = 10 accumulators, plus the two
  // sample chunks and a W1 chunk, of the 16 registers.
  static constexpr int dot_rows_a = 2, dot_rows_b = 5;
  // Forward tile on bytes: as on floats (16 registers leave no room for more).
  static constexpr int byte_dot_rows_a = 2, byte_dot_rows_b = 5;
  // 5 rows × 2 vectors = 10 accumulators, 2 vectors of an X row, 1 broadcast.
  static constexpr int axpy_rows = 5, axpy_vectors = 2;

  static vec zero() { return _mm256_setzero_ps(); }
  static vec set1(float x) { return _mm256_set1_ps(x); }
  static vec load(const float* p) { return _mm256_loadu_ps(p); }
  // 8 bytes widened to floats, exactly.
  static vec load_bytes(const std::uint8_t* p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
  }
  static void store(float* p, vec v) { _mm256_storeu_ps(p, v); }
  // The first n lanes, n in [1, 8].
  static mask first(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static mask all() { return _mm256_set1_epi32(-1); }
  static vec load(const float* p, mask m) { return _mm256_maskload_ps(p, m); }
  static vec load_or(const float* p, mask m, vec fill) {
    return _mm256_blendv_ps(fill, _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
  }
  static void store(float* p, vec v, mask m) { _mm256_maskstore_ps(p, m, v); }
  static vec keep(vec v, mask m) { return _mm256_and_ps(v, _mm256_castsi256_ps(m)); }
  // v, which the compiler must now hold in a register rather than re-read from memory.
  static vec in_register(vec v) {
    asm("" : "+x"(v));
    return v;
  }

  static vec add(vec a, vec b) { return _mm256_add_ps(a, b); }
  static vec sub(vec a, vec b) { return _mm256_sub_ps(a, b); }
  static vec mul(vec a, vec b) { return _mm256_mul_ps(a, b); }
  static vec div(vec a, vec b) { return _mm256_div_ps(a, b); }
  static vec min(vec a, vec b) { return _mm256_min_ps(a, b); }
  static vec max(vec a, vec b) { return _mm256_max_ps(a, b); }
  static vec fmadd(vec a, vec b, vec c) { return _mm256_fmadd_ps(a, b, c); }    // a·b + c
  static vec fnmadd(vec a, vec b, vec c) { return _mm256_fnmadd_ps(a, b, c); }  // c - a·b
  static vec fmadd_broadcast(const float* a, vec b, vec c) { return fmadd(set1(*a), b, c); }
  // x where z > 0, else 0 (also where z is NaN), as naive's `z > 0 ? x : 0`.
  static vec keep_positive(vec z, vec x) {
    return _mm256_and_ps(_mm256_cmp_ps(z, _mm256_setzero_ps(), _CMP_GT_OQ), x);
  }
  static float reduce_add(vec v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
  }
  static float reduce_max(vec v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_movehdup_ps(s)));
  }

  static vec round_nearest(vec x) {
    return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  // y · 2^n for integral n in [-126, 127]: n + 127 is the float's biased exponent.
  static vec times_pow2(vec y, vec n) {
    const __m256i biased = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(biased, 23)));
  }
  static vec exp(vec x) { return exp_polynomial<Avx2>(x); }
};

}  // namespace

const Kernels kAvx2Kernels = make_kernels<Avx2>("AVX2+FMA");

}  // namespace mnistbench::simd

#endif  // MNISTBENCH_SIMD_AVX_PATHS
