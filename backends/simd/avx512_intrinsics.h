#pragma once
// <immintrin.h> for the files built with AVX-512 flags. GCC 12's AVX-512
// intrinsics fill unused lanes from a self-initialised "undefined" vector,
// which it then reports as uninitialised once inlined (GCC bug 105593):
// silence that for the intrinsics only. Clang has neither the bug nor
// -Wmaybe-uninitialized.

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#else
#include <immintrin.h>
#endif

namespace mnistbench::simd {

// Lane i (i < N) the sum of v[i]'s lanes; lanes from N on are 0. Four levels
// of a tree, each adding two shuffles of pairs of its inputs, so that N
// vectors take about 3N instructions rather than 8N as N separate
// reductions. The shuffles only move 32-bit lanes, so add (a functor on two
// __m512) decides what the lanes hold: floats, or int32 bits cast to __m512.
// Always inlined: as a call, v must go through memory, and GCC did not inline
// it into the low-precision tiles by itself.
template <int N, class Add>
[[gnu::always_inline]] inline __m512 sum_lanes_avx512(const __m512* v, Add add) {
  static_assert(N >= 1 && N <= 16);
  const __m512 zero = _mm512_setzero_ps();
  __m512 a[16], b[8], c[4], d[2];
#pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) a[i] = i < N ? v[i] : zero;
  // Per 128-bit lane: [x0+x2, y0+y2, x1+x3, y1+y3] for x = a[2j], y = a[2j+1].
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j)
    b[j] = 2 * j < N ? add(_mm512_unpacklo_ps(a[2 * j], a[2 * j + 1]), _mm512_unpackhi_ps(a[2 * j], a[2 * j + 1]))
                     : zero;
  // Per 128-bit lane: that lane's sums of a[4j], a[4j+1], a[4j+2], a[4j+3].
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) {
    const __m512d x = _mm512_castps_pd(b[2 * j]), y = _mm512_castps_pd(b[2 * j + 1]);
    c[j] = 4 * j < N ? add(_mm512_castpd_ps(_mm512_unpacklo_pd(x, y)), _mm512_castpd_ps(_mm512_unpackhi_pd(x, y)))
                     : zero;
  }
  // 128-bit lanes 0 and 1 summed, 2 and 3 summed: c[2j]'s, then c[2j+1]'s.
#pragma GCC unroll 2
  for (int j = 0; j < 2; ++j)
    d[j] = add(_mm512_shuffle_f32x4(c[2 * j], c[2 * j + 1], 0x88), _mm512_shuffle_f32x4(c[2 * j], c[2 * j + 1], 0xDD));
  // And again: 128-bit lane q holds the whole sums of a[4q] to a[4q+3].
  return add(_mm512_shuffle_f32x4(d[0], d[1], 0x88), _mm512_shuffle_f32x4(d[0], d[1], 0xDD));
}

}  // namespace mnistbench::simd
