// The bf16 and int8 products with the input, in AVX-512 with AVX512_BF16
// (vdpbf16ps: 32 bf16 products a vector into 16 float sums) and AVX512_VNNI
// (vpdpbusd: 64 byte products into 16 int32 sums), against float32's 16 a
// vector. Compiled with those flags (backend.cmake) and chosen only on a CPU
// that has them (low_precision.cpp). Meanings: low_precision.h; rounding:
// common/model/precision.h, whose bf16_bits and quantisation rule these match
// bit for bit.
//
// The backend lowers W1 (10 × 784) once per step (lower_w1), and every block
// of the step reads those bf16 or int8 weights; the weight gradient lowers
// its small operand (dZ1: the block's samples × 10) into a per-thread buffer
// itself. Each call then streams the block's pixel bytes past the small
// operand once, as the float32 kernels do. Lowering W1 in every block's call
// instead made the bf16 step 2% slower on one thread (Zen 5, 5.40 against
// 5.30 ms).

#include "backends/simd/low_precision.h"

#if MNISTBENCH_SIMD_AVX_PATHS

#include "backends/simd/avx512_intrinsics.h"

#include <cstddef>
#include <vector>

namespace mnistbench::simd {
namespace {

using Index = std::ptrdiff_t;

// Rows of W1 (or dW1) per register tile: all 10 of the tutorial's hidden
// units, so each vector of pixels is converted once and serves every row.
constexpr int kTileRows = 10;

// Calls f.template operator()<n>() for a run-time n in [1, Max]: a register
// tile stays in registers only when its shape is a compile-time constant.
template <int Max, class F>
void with_rows(int n, F&& f) {
  if constexpr (Max > 1) {
    if (n < Max) return with_rows<Max - 1>(n, f);
  }
  f.template operator()<Max>();
}

Index round_up(Index n, Index multiple) { return (n + multiple - 1) / multiple * multiple; }

__mmask64 first_bytes(Index n) { return n >= 64 ? ~__mmask64(0) : (__mmask64(1) << n) - 1; }

// The rows to prefetch into L2 while the tile at sample i runs, as the
// float32 kernels do (kernel_templates.h), so that X streams from memory
// during the arithmetic, on into the next block's rows (rows_after): the
// tile config's prefetch distance on (derived from L1d, tile_choice.h), or
// the tile's own when that would pass the rows there are.
const std::uint8_t* ahead_of(const std::uint8_t* X, int i, int samples, int M, int K, int rows_after,
                             const TileConfig& tiles) {
  const int ahead = i + tiles.prefetch_bytes / (K > 0 ? K : 1);
  return ahead + samples <= M + rows_after ? X + Index(ahead) * K : X + Index(i) * K;
}

// 16 pixel bytes (fewer at a tail, the rest zero) as 16 exact floats.
template <bool Tail>
__m512 bytes_to_floats(const std::uint8_t* p, Index count) {
  const __m128i bytes = Tail ? _mm_maskz_loadu_epi8(__mmask16(first_bytes(count < 0 ? 0 : count)), p)
                             : _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(bytes));
}

// Two vectors of floats that bf16 holds exactly (their low 16 bits are zero:
// every pixel byte 0-255 has 8 significant bits) as one vector of bf16
// pairs: lane i holds (low[i], high[i]). A shift and an OR on the integer
// pipes, where vcvtne2ps2bf16 competes with vdpbf16ps for the float pipes: on
// Zen 5 a stream of 20 vdpbf16ps per two converted vectors ran at 98% of its
// peak this way and at 82% with vcvtne2ps2bf16 (standalone loop, 1 core).
__m512bh pack_exact_bf16(__m512 low, __m512 high) {
  return (__m512bh)_mm512_or_si512(_mm512_srli_epi32(_mm512_castps_si512(low), 16),
                                   _mm512_castps_si512(high));
}

// 32 pixel bytes (fewer at a tail, the rest zero) as 32 exact bf16 values,
// lane i the pair (p[i], p[16 + i]): lower_to_bf16 pairs W1 the same way.
template <bool Tail>
__m512bh bytes_to_bf16(const std::uint8_t* p, Index count) {
  return pack_exact_bf16(bytes_to_floats<Tail>(p, count), bytes_to_floats<Tail>(p + 16, count - 16));
}

__m512bh as_bf16(__m512i v) { return (__m512bh)v; }

// ---- Forward, bf16 ----------------------------------------------------------

// Two vectors of floats rounded to bf16 (round to nearest even) as one
// vector of bf16 pairs, lane i (bf16(low[i]), bf16(high[i])).
__m512i round_to_bf16_pairs(__m512 low, __m512 high) {
  const __m512i lo = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(low));
  const __m512i hi = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(high));
  return _mm512_or_si512(lo, _mm512_slli_epi32(hi, 16));
}

// The lowered W1's layout, both precisions: span by span of Dot::step
// columns, each span all N rows (row h at h · step), so that a register
// tile's rows are constant offsets from one pointer (a pointer per row ran
// out of registers: 2-3% of the forward, measured alone on Zen 5), every row
// zero-padded to a multiple of the step. Every vector of it is a whole
// cache line (lower_w1 writes into 64-byte aligned memory, and a span's row
// is 64 bytes at both precisions): on Zen 5 a 64-byte load
// that straddles two lines halves the loads a cycle, and the forward loads
// one vector of W1 for every two vdpbf16ps, which a line apart run at one
// load a cycle, its limit (a standalone loop of 16 vdpbf16ps with 10 such
// loads: 8.2 dp/ns aligned, 6.5 straddling). The bf16 step went from 5.80
// to 5.43 ms on one thread when the buffer was aligned (it had sat 48 bytes
// into a line).
constexpr int kBf16Span = 32;  // columns of a span: 64 bytes of bf16
constexpr int kInt8Span = 64;  // and of bytes

// W1 (N, K) as bf16 in that layout, paired as bytes_to_bf16 pairs the
// pixels: in each span of 32, lane i holds (w[i], w[16 + i]).
void lower_to_bf16(const float* W1, int N, int K, std::uint16_t* out) {
  const Index Kp = round_up(K, kBf16Span);
  for (int h = 0; h < N; ++h)
    for (Index k = 0; k < Kp; k += kBf16Span) {
      const Index left = K - k;
      const __mmask16 low = __mmask16(first_bytes(left < 0 ? 0 : left));
      const __mmask16 high = __mmask16(first_bytes(left < 16 ? 0 : left - 16));
      const float* w = W1 + Index(h) * K + k;
      _mm512_storeu_si512(out + k * N + h * 32,
                          round_to_bf16_pairs(_mm512_maskz_loadu_ps(low, w), _mm512_maskz_loadu_ps(high, w + 16)));
    }
}

// The forward product's two instruction sets, for one driver: a vector of
// Dot::step input bytes against the same span of a lowered row of W1.
struct Bf16Dot {
  using Sum = __m512;        // 16 float sums
  using Weight = std::uint16_t;
  static constexpr int step = kBf16Span;
  // Two samples against 10 rows, 20 accumulators: each W1 vector loaded serves two.
  static constexpr int samples = 2;
  static Sum zero() { return _mm512_setzero_ps(); }
  template <bool Tail>
  static __m512bh input(const std::uint8_t* p, Index count) { return bytes_to_bf16<Tail>(p, count); }
  static Sum madd(Sum sum, __m512bh x, const Weight* w) {
    return _mm512_dpbf16_ps(sum, x, as_bf16(_mm512_loadu_si512(w)));
  }
  // Lane r (r < Rows) the float sum of sums[r]'s lanes.
  template <int Rows>
  [[gnu::always_inline]] static __m512 totals(const Sum* sums) {
    return sum_lanes_avx512<Rows>(sums, [](__m512 a, __m512 b) { return _mm512_add_ps(a, b); });
  }
};

struct Int8Dot {
  using Sum = __m512i;       // 16 exact int32 sums
  using Weight = std::int8_t;
  static constexpr int step = kInt8Span;
  // One sample against 10 rows: with two, GCC copies and spills the
  // destructive vpdpbusd's accumulators every step (measured 2x slower).
  static constexpr int samples = 1;
  static Sum zero() { return _mm512_setzero_si512(); }
  template <bool Tail>
  static __m512i input(const std::uint8_t* p, Index count) {
    return Tail ? _mm512_maskz_loadu_epi8(first_bytes(count), p) : _mm512_loadu_si512(p);
  }
  static Sum madd(Sum sum, __m512i x, const Weight* w) {
    return _mm512_dpbusd_epi32(sum, x, _mm512_loadu_si512(w));
  }
  // Lane r (r < Rows) the exact int32 sum of sums[r]'s lanes, then rounded
  // to float once, as a scalar reduction and conversion would.
  template <int Rows>
  [[gnu::always_inline]] static __m512 totals(const Sum* sums) {
    __m512 bits[Rows];
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) bits[r] = _mm512_castsi512_ps(sums[r]);
    const __m512 sum = sum_lanes_avx512<Rows>(bits, [](__m512 a, __m512 b) {
      return _mm512_castsi512_ps(_mm512_add_epi32(_mm512_castps_si512(a), _mm512_castps_si512(b)));
    });
    return _mm512_cvtepi32_ps(_mm512_castps_si512(sum));
  }
};

// Z1's Samples × Rows tile = alpha · scale(row) · Σ X · W over the row,
// with W lowered (N rows in all, W at the tile's first row) and Z1 N
// wide; scales is null for bf16 (no scale).
template <class Dot, int Samples, int Rows>
void dot_tile(const std::uint8_t* X, const std::uint8_t* ahead, const typename Dot::Weight* W,
              const float* scales, int K, int N, float alpha, float* Z1) {
  typename Dot::Sum acc[Samples][Rows];
#pragma GCC unroll 2
  for (int s = 0; s < Samples; ++s)
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) acc[s][r] = Dot::zero();
  const auto step = [&]<bool Tail>(Index k) {
    decltype(Dot::template input<false>(X, 0)) x[Samples];
#pragma GCC unroll 2
    for (int s = 0; s < Samples; ++s) x[s] = Dot::template input<Tail>(X + Index(s) * K + k, K - k);
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 2
      for (int s = 0; s < Samples; ++s) acc[s][r] = Dot::madd(acc[s][r], x[s], W + k * N + r * Dot::step);
  };
  // The line at column k of each sample's row ahead, fetched once a line.
  const auto fetch = [&](Index k) {
#pragma GCC unroll 2
    for (int s = 0; s < Samples; ++s)
      _mm_prefetch(reinterpret_cast<const char*>(ahead + Index(s) * K + k), _MM_HINT_T1);
  };
  // A line of columns at a time, its steps unrolled: one step at a time,
  // each testing whether it starts a line, ran the bf16 forward 3% slower
  // (Zen 5, one core, the kernel alone: 414-418 against 424-429 GFLOP/s;
  // the two-thread step 2.63 against 2.59 ms, medians of 11).
  constexpr Index kLine = 64;
  Index k = 0;
  for (; k + kLine <= K; k += kLine) {
    fetch(k);
#pragma GCC unroll 2
    for (Index j = 0; j < kLine; j += Dot::step) step.template operator()<false>(k + j);
  }
  for (; k + Dot::step <= K; k += Dot::step) {
    if (k % kLine == 0) fetch(k);
    step.template operator()<false>(k);
  }
  if (k < K) {
    if (k % kLine == 0) fetch(k);
    step.template operator()<true>(k);
  }
  // A sample's Rows sums all at once, into one vector's first lanes (a
  // shuffle tree shared between them, as the float32 dot tile does), stored
  // with one masked store. 20 separate reductions, 8 instructions each,
  // made the bf16 step 5% slower on one thread.
  const __mmask16 rows = __mmask16(first_bytes(Rows));
  const __m512 factor = scales ? _mm512_mul_ps(_mm512_set1_ps(alpha), _mm512_maskz_loadu_ps(rows, scales))
                               : _mm512_set1_ps(alpha);
#pragma GCC unroll 2
  for (int s = 0; s < Samples; ++s)
    _mm512_mask_storeu_ps(Z1 + Index(s) * N, rows, _mm512_mul_ps(factor, Dot::template totals<Rows>(acc[s])));
}

// Z1 (M, N) = alpha · X · Wᵀ over W lowered (N rows, spans of Dot::step),
// in tiles of Dot::samples samples × up to kTileRows rows.
template <class Dot>
void lowered_dot(int M, int N, int K, float alpha, const std::uint8_t* X,
                 const typename Dot::Weight* W, const float* scales, float* Z1, int rows_after,
                 const TileConfig& tiles) {
  constexpr int S = Dot::samples;
  for (int i = 0; i < M; i += S) {
    const std::uint8_t* x = X + Index(i) * K;
    const std::uint8_t* ahead = ahead_of(X, i, S, M, K, rows_after, tiles);
    for (int h = 0; h < N; h += kTileRows)
      with_rows<kTileRows>(N - h < kTileRows ? N - h : kTileRows, [&]<int Rows>() {
        const typename Dot::Weight* wh = W + h * Dot::step;
        const float* sh = scales ? scales + h : nullptr;
        float* z = Z1 + Index(i) * N + h;
        if (M - i >= S) dot_tile<Dot, S, Rows>(x, ahead, wh, sh, K, N, alpha, z);
        else dot_tile<Dot, 1, Rows>(x, ahead, wh, sh, K, N, alpha, z);
      });
  }
}

void x_w1t_bf16(int M, int N, int K, float alpha, const std::uint8_t* X, const void* W1,
                const float*, float* Z1, int rows_after, const TileConfig& tiles) {
  if (M <= 0 || N <= 0) return;
  lowered_dot<Bf16Dot>(M, N, K, alpha, X, static_cast<const std::uint16_t*>(W1), nullptr, Z1,
                       rows_after, tiles);
}

// ---- Forward, int8 ----------------------------------------------------------

// W1 (N, K) as each row's signed bytes in that layout, spans of kInt8Span, and each
// row's scale: common/model/precision.h's rule, vectorised.
void lower_to_int8(const float* W1, int N, int K, std::int8_t* out, float* scales) {
  const Index Kp = round_up(K, kInt8Span);
  for (int h = 0; h < N; ++h) {
    const float* row = W1 + Index(h) * K;
    __m512 largest = _mm512_setzero_ps();
    for (Index k = 0; k < K; k += 16)
      largest = _mm512_max_ps(largest, _mm512_abs_ps(_mm512_maskz_loadu_ps(__mmask16(first_bytes(K - k)), row + k)));
    const float top = _mm512_reduce_max_ps(largest);
    scales[h] = top / 127.0f;
    const __m512 inverse = _mm512_set1_ps(top > 0.0f ? 127.0f / top : 0.0f);
    for (Index k = 0; k < Kp; k += 16) {
      const __m512 w = _mm512_maskz_loadu_ps(__mmask16(first_bytes(K - k < 0 ? 0 : K - k)), row + k);
      // Round to nearest even (the default mode), then saturate to [-127, 127].
      __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(w, inverse));
      q = _mm512_max_epi32(_mm512_min_epi32(q, _mm512_set1_epi32(127)), _mm512_set1_epi32(-127));
      std::int8_t* at = out + k / kInt8Span * kInt8Span * N + h * kInt8Span + k % kInt8Span;
      _mm_storeu_si128(reinterpret_cast<__m128i*>(at), _mm512_cvtepi32_epi8(q));
    }
  }
}

void x_w1t_int8(int M, int N, int K, float alpha, const std::uint8_t* X, const void* W1,
                const float* scales, float* Z1, int rows_after, const TileConfig& tiles) {
  if (M <= 0 || N <= 0) return;
  lowered_dot<Int8Dot>(M, N, K, alpha, X, static_cast<const std::int8_t*>(W1), scales, Z1, rows_after,
                       tiles);
}

// ---- Lowering W1, once per step ---------------------------------------------

std::size_t lowered_w1_bytes(Precision precision, int N, int K) {
  if (precision == Precision::bf16) return std::size_t(N) * std::size_t(round_up(K, kBf16Span)) * 2;
  if (precision == Precision::int8) return std::size_t(N) * std::size_t(round_up(K, kInt8Span));
  return 0;
}

void lower_w1(Precision precision, const float* W1, int N, int K, void* out, float* scales) {
  if (precision == Precision::bf16) lower_to_bf16(W1, N, K, static_cast<std::uint16_t*>(out));
  if (precision == Precision::int8) lower_to_int8(W1, N, K, static_cast<std::int8_t*>(out), scales);
}

// ---- Weight gradient, bf16 --------------------------------------------------

// vdpbf16ps sums pairs within a 32-bit lane, and here the sum runs over
// samples: each lane holds one pixel of two consecutive samples, and each row
// of dZ1 the same two samples' values, broadcast. pairs (K/2 rounded up, M):
// bf16(dZ1[2p][h]) in the low half, bf16(dZ1[2p + 1][h]) (or 0) in the high.
void pair_dz1(const float* dZ1, int M, int K, std::vector<std::uint32_t>& pairs) {
  const int P = (K + 1) / 2;
  pairs.resize(std::size_t(P) * M);
  for (int p = 0; p < P; ++p) {
    const float* first = dZ1 + Index(2 * p) * M;
    const bool second = 2 * p + 1 < K;
    std::uint32_t* out = pairs.data() + Index(p) * M;
    for (int h = 0; h < M; h += 16) {
      const __mmask16 m = __mmask16(first_bytes(M - h));
      const __m512 low = _mm512_maskz_loadu_ps(m, first + h);
      const __m512 high = second ? _mm512_maskz_loadu_ps(m, first + M + h) : _mm512_setzero_ps();
      _mm512_mask_storeu_epi32(out + h, m, round_to_bf16_pairs(low, high));
    }
  }
}

// 16 pixels of samples a and b as bf16 pairs, lane i (a[i], b[i]).
template <bool Tail>
__m512bh interleaved_bf16(const std::uint8_t* a, const std::uint8_t* b, Index count) {
  return pack_exact_bf16(bytes_to_floats<Tail>(a, count), bytes_to_floats<Tail>(b, count));
}

// How many rows of the block ahead of its pair the weight gradient fetches
// into L1. Measured on Zen 5, one thread: without it the bf16 step took
// 5.74 ms, with it 5.52 (16 rows); 8 and 32 rows measured the same as 16.
constexpr Index kL1Ahead = 16;

// The next block's rows, fetched into L2 by the weight gradient one line
// per pair step, through all its column tiles in turn: its reads from
// memory then spread over the whole kernel rather than coming in bursts.
// The forward product's own prefetches run a few rows ahead of it and catch
// any lines this has not reached. Measured on Zen 5 (bf16 step, medians of
// interleaved runs): without these fetches 2.86 ms on two threads, with them
// 2.67 (21 runs each), and 5.28 against 5.29 on one thread (9); two fetches
// per pair step in half the column tiles instead (the float32 kernel's way)
// had made it slower than none on both: 3.05 against 2.83 ms, 5.88 against 5.40.
struct NextBlockFetch {
  const std::uint8_t* row;  // the row being fetched
  const std::uint8_t* end;  // one past the last row to fetch
  Index width;              // bytes a row
  Index line = 0;           // the row's next line, as an offset

  void one_line() {
    if (row == end) return;
    _mm_prefetch(reinterpret_cast<const char*>(row + line), _MM_HINT_T1);
    line += 64;
    if (line >= width) {
      line = 0;
      row += width;
    }
  }
};

// dW1 rows [0, Rows) × columns [n, n + 16 · Vectors) (fewer at the tail),
// summed over all K samples. One vector serves the last 16 columns of the
// tutorial's 784 (24.5 tiles of 32), where two would multiply zeros.
// fetch, when not null, goes on through the next block a line a pair step.
template <int Rows, int Vectors, bool Tail>
void bf16_axpy_tile(const std::uint32_t* pairs, int M, const std::uint8_t* X, int K, int N, int n,
                    float alpha, float beta, float* dW1, NextBlockFetch* fetch) {
  const int left = N - n;
  __m512 acc[Rows][Vectors];
#pragma GCC unroll 16
  for (int r = 0; r < Rows; ++r)
    for (int v = 0; v < Vectors; ++v) acc[r][v] = _mm512_setzero_ps();
  // Samples a and b (rows of X, from column n) against their pair of dZ1 rows.
  const auto pair_step = [&](const std::uint8_t* a, const std::uint8_t* b, const std::uint32_t* dz) {
    __m512bh x[Vectors];
    for (int v = 0; v < Vectors; ++v) x[v] = interleaved_bf16<Tail>(a + 16 * v, b + 16 * v, left - 16 * v);
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) {
      const __m512bh d = as_bf16(_mm512_set1_epi32(int(dz[r])));
      for (int v = 0; v < Vectors; ++v) acc[r][v] = _mm512_dpbf16_ps(acc[r][v], x[v], d);
    }
  };
  const Index row = N;
  // A row's address is made only for rows there are: a pointer stepped
  // past the block's end would be undefined, even unread.
  const auto at = [&](int sample) { return X + Index(sample) * row + n; };
  const std::uint32_t* dz = pairs;  // ends one past pairs' end at most
  NextBlockFetch next = fetch != nullptr ? *fetch : NextBlockFetch{nullptr, nullptr, 0};
  // The pair from sample s, and while there is one the pair kL1Ahead rows on
  // fetched from L2 into L1 (the block's rows are 784 bytes apart, and each
  // pair reads two new lines); and a line of the next block into L2.
  const auto step_at = [&](int s) {
    const std::uint8_t* x = at(s);
    next.one_line();
    if (s + kL1Ahead + 1 < K) {
      _mm_prefetch(reinterpret_cast<const char*>(x + kL1Ahead * row), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(x + (kL1Ahead + 1) * row), _MM_HINT_T0);
    }
    pair_step(x, x + row, dz);
  };
  int s = 0;
  for (; s + 1 < K; s += 2, dz += M) step_at(s);
  const std::uint8_t zeros[32] = {};  // the missing second sample of an odd K
  if (s < K) pair_step(at(s), zeros, dz);
  if (fetch != nullptr) *fetch = next;
#pragma GCC unroll 16
  for (int r = 0; r < Rows; ++r) {
    float* c = dW1 + Index(r) * N + n;
    for (int v = 0; v < Vectors; ++v) {
      const __mmask16 m = __mmask16(first_bytes(left - 16 * v < 0 ? 0 : left - 16 * v));
      __m512 out = _mm512_mul_ps(_mm512_set1_ps(alpha), acc[r][v]);
      if (beta != 0.0f) out = _mm512_fmadd_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(m, c + 16 * v), out);
      _mm512_mask_storeu_ps(c + 16 * v, m, out);
    }
  }
}

void dz1t_x_bf16(int M, int N, int K, float alpha, const float* dZ1, const std::uint8_t* X,
                 float beta, float* dW1, int rows_after, const TileConfig&) {
  if (M <= 0 || N <= 0) return;
  const std::uint8_t* next = X + Index(K) * N;
  NextBlockFetch fetch{next, next + Index(rows_after < K ? rows_after : K) * N, N};
  thread_local std::vector<std::uint32_t> pairs;
  pair_dz1(dZ1, M, K, pairs);
  for (int n = 0; n < N; n += 32)
    for (int h = 0; h < M; h += kTileRows)
      with_rows<kTileRows>(M - h < kTileRows ? M - h : kTileRows, [&]<int Rows>() {
        const std::uint32_t* d = pairs.data() + h;
        float* c = dW1 + Index(h) * N;
        NextBlockFetch* f = h == 0 ? &fetch : nullptr;  // the first row tile only
        const int left = N - n;
        if (left >= 32) bf16_axpy_tile<Rows, 2, false>(d, M, X, K, N, n, alpha, beta, c, f);
        else if (left == 16) bf16_axpy_tile<Rows, 1, false>(d, M, X, K, N, n, alpha, beta, c, f);
        else if (left < 16) bf16_axpy_tile<Rows, 1, true>(d, M, X, K, N, n, alpha, beta, c, f);
        else bf16_axpy_tile<Rows, 2, true>(d, M, X, K, N, n, alpha, beta, c, f);
      });
}

}  // namespace

const LowPrecisionKernels kAvx512LowPrecisionKernels = {lowered_w1_bytes, lower_w1, x_w1t_bf16,
                                                       x_w1t_int8, dz1t_x_bf16};

}  // namespace mnistbench::simd

#endif  // MNISTBENCH_SIMD_AVX_PATHS
