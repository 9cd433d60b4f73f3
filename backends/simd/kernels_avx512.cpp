// The AVX-512 path: 16-float zmm vectors, tails by mask registers. Compiled
// with -mavx512f -mavx2 -mfma (backend.cmake) and chosen only on a CPU that
// has all three (simd_path.h); a compiler for another CPU compiles this file
// to nothing.

#include "backends/simd/kernels.h"

#if MNISTBENCH_SIMD_AVX_PATHS

#include "backends/simd/avx512_intrinsics.h"

#include "backends/simd/kernel_templates.h"

namespace mnistbench::simd {
namespace {

struct Avx512 {
  using vec = __m512;
  using mask = __mmask16;
  static constexpr int width = 16;
  // Forward tile: 4 samples × 5 rows of W1 = 20 accumulators of the 32
  // registers. Each W1 chunk serves 4 FMAs, and half of W1 (16 KB) stays in
  // L1 beside the 4 samples (12 KB) while the tile runs along them.
  static constexpr int dot_rows_a = 4, dot_rows_b = 5;
  // Forward tile on bytes: 2 samples × all 10 rows of W1 = 20 accumulators,
  // so that each 16 bytes of a sample are widened once, not once per 5 rows.
  static constexpr int byte_dot_rows_a = 2, byte_dot_rows_b = 10;
  // Gradient tile: 10 rows of dW1 × 32 columns = 20 accumulators.
  static constexpr int axpy_rows = 10, axpy_vectors = 2;

  static vec zero() { return _mm512_setzero_ps(); }
  static vec set1(float x) { return _mm512_set1_ps(x); }
  static vec load(const float* p) { return _mm512_loadu_ps(p); }
  // 16 bytes widened to floats, exactly: each byte n zero-extended into the
  // mantissa of 2^23 (the float 2^23 + n), then 2^23 subtracted. Measured on
  // Zen 5, an integer OR and a float subtraction cost the X products less
  // than vcvtdq2ps (3% of the step); presumably the conversion competes with
  // the FMAs for their pipes and these do not. Not measured on Zen 4.
  static vec load_bytes(const std::uint8_t* p) {
    const __m512i two_23 = _mm512_set1_epi32(0x4B000000);
    const __m512i n = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm512_sub_ps(_mm512_castsi512_ps(_mm512_or_si512(n, two_23)), _mm512_castsi512_ps(two_23));
  }
  static void store(float* p, vec v) { _mm512_storeu_ps(p, v); }
  // The first n lanes, n in [1, 16]. Masked-off lanes are neither read nor written,
  // so a tail may end at the last float of a buffer.
  static mask first(int n) { return mask((1u << n) - 1u); }
  static mask all() { return 0xFFFF; }
  static vec load(const float* p, mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static vec load_or(const float* p, mask m, vec fill) { return _mm512_mask_loadu_ps(fill, m, p); }
  static void store(float* p, vec v, mask m) { _mm512_mask_storeu_ps(p, m, v); }
  static vec keep(vec v, mask m) { return _mm512_maskz_mov_ps(m, v); }
  // v with 1 subtracted in the lanes where a == b.
  static vec minus_one_where_equal(vec v, vec a, vec b) {
    return _mm512_mask_sub_ps(v, _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ), v, _mm512_set1_ps(1.0f));
  }
  // v (16 rows of 16) transposed in place: lane j of v[i] becomes lane i of v[j].
  // Four levels, each mixing pairs of vectors: floats, then pairs of floats
  // within 128-bit lanes, then 128-bit lanes twice; zero inputs fold away.
  static void transpose(vec* v) {
    vec t[16], u[16], w[16];
    // t[2i], lane k: rows 2i, 2i+1 at columns 4k, 4k+1; t[2i+1] the same at 4k+2, 4k+3.
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
      t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
    }
    // u[4j+c], 128-bit lane k: rows 4j to 4j+3 at column 4k+c.
#pragma GCC unroll 4
    for (int j = 0; j < 4; ++j)
#pragma GCC unroll 2
      for (int c = 0; c < 2; ++c) {
        const __m512d x = _mm512_castps_pd(t[4 * j + c]), y = _mm512_castps_pd(t[4 * j + c + 2]);
        u[4 * j + 2 * c] = _mm512_castpd_ps(_mm512_unpacklo_pd(x, y));
        u[4 * j + 2 * c + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(x, y));
      }
    // w[c] holds 128-bit lanes 0, 1 of u[c] then of u[c+4]; w[c+4] the same
    // of u[c+8], u[c+12]; w[c+8] and w[c+12] likewise with lanes 2, 3.
#pragma GCC unroll 4
    for (int c = 0; c < 4; ++c) {
      w[c] = _mm512_shuffle_f32x4(u[c], u[c + 4], 0x44);
      w[c + 4] = _mm512_shuffle_f32x4(u[c + 8], u[c + 12], 0x44);
      w[c + 8] = _mm512_shuffle_f32x4(u[c], u[c + 4], 0xEE);
      w[c + 12] = _mm512_shuffle_f32x4(u[c + 8], u[c + 12], 0xEE);
    }
    // Column 4k+c gathers 128-bit lane k of u[c], u[c+4], u[c+8], u[c+12].
#pragma GCC unroll 2
    for (int half = 0; half < 2; ++half)
#pragma GCC unroll 4
      for (int c = 0; c < 4; ++c) {
        const vec low = w[8 * half + c], high = w[8 * half + c + 4];
        v[8 * half + c] = _mm512_shuffle_f32x4(low, high, 0x88);
        v[8 * half + c + 4] = _mm512_shuffle_f32x4(low, high, 0xDD);
      }
  }
  // v, which the compiler must now hold in a register rather than re-read from memory.
  static vec in_register(vec v) {
    asm("" : "+v"(v));
    return v;
  }

  static vec add(vec a, vec b) { return _mm512_add_ps(a, b); }
  static vec sub(vec a, vec b) { return _mm512_sub_ps(a, b); }
  static vec mul(vec a, vec b) { return _mm512_mul_ps(a, b); }
  static vec div(vec a, vec b) { return _mm512_div_ps(a, b); }
  static vec min(vec a, vec b) { return _mm512_min_ps(a, b); }
  static vec max(vec a, vec b) { return _mm512_max_ps(a, b); }
  static vec fmadd(vec a, vec b, vec c) { return _mm512_fmadd_ps(a, b, c); }    // a·b + c
  static vec fnmadd(vec a, vec b, vec c) { return _mm512_fnmadd_ps(a, b, c); }  // c - a·b
  // *a·b + c. The compiler broadcasts *a once into a register for all the
  // FMAs of a tile's row (vbroadcastss from memory, a load-unit operation),
  // rather than once per FMA as the FMA's own {1to16} load: on Zen 5 that
  // halves the loads of the dW1 tile and made the step 4% faster. (The
  // {1to16} form was chosen on Zen 4, where a broadcast was said to take an
  // FMA pipe's slot; not re-measured there.)
  static vec fmadd_broadcast(const float* a, vec b, vec c) {
    return _mm512_fmadd_ps(_mm512_set1_ps(*a), b, c);
  }
  // x where z > 0, else 0 (also where z is NaN), as naive's `z > 0 ? x : 0`.
  static vec keep_positive(vec z, vec x) {
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(z, _mm512_setzero_ps(), _CMP_GT_OQ), x);
  }
  static float reduce_add(vec v) { return _mm512_reduce_add_ps(v); }
  // Lane i (i < N) the sum of v[i]'s lanes; lanes from N on are 0.
  template <int N>
  static vec sum_lanes(const vec* v) {
    return sum_lanes_avx512<N>(v, [](vec a, vec b) { return add(a, b); });
  }
  static float reduce_max(vec v) { return _mm512_reduce_max_ps(v); }

  static vec round_nearest(vec x) {
    return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
  static vec times_pow2(vec y, vec n) { return _mm512_scalef_ps(y, n); }
  static vec exp(vec x) { return exp_polynomial<Avx512>(x); }
};

}  // namespace

const Kernels kAvx512Kernels = make_kernels<Avx512>("AVX-512");

}  // namespace mnistbench::simd

#endif  // MNISTBENCH_SIMD_AVX_PATHS
