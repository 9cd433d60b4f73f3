#pragma once
// The simd backend's algorithms, written once against an instruction-set
// type Isa: a vector of Isa::width floats, a mask of its first lanes, loads,
// stores, arithmetic and reductions. kernels_avx512.cpp, kernels_avx2.cpp and
// kernels_scalar.cpp each define one Isa in hand-written intrinsics (or plain
// floats), include this file and fill their Kernels table from it.
//
// Everything here is in an anonymous namespace on purpose: each ISA file
// compiles its own private copy with its own flags. A shared (inline) copy
// would be emitted by every file and the linker would keep any one of them,
// perhaps the AVX-512 one, for all paths. For the same reason this file
// includes no library header that defines inline functions.
//
// Layouts and meanings are those of common/model/backend.h.

#include <cstddef>
#include <cstdint>

#include "backends/simd/tile_config.h"

namespace mnistbench::simd {
namespace {

using Index = std::ptrdiff_t;

constexpr int kLineBytes = 64;  // a cache line

int min_int(int a, int b) { return a < b ? a : b; }

// Calls f.template operator()<n>() for a run-time n in [1, Max]: a register
// tile stays in registers only when its shape is a compile-time constant.
template <int Max, class F>
void with_count(int n, F&& f) {
  if constexpr (Max > 1) {
    if (n < Max) return with_count<Max - 1>(n, f);
  }
  f.template operator()<Max>();
}

// p's first width lanes, or only those in tail when Masked.
template <class Isa, bool Masked>
typename Isa::vec load(const float* p, typename Isa::mask tail) {
  if constexpr (Masked) return Isa::load(p, tail);
  else return Isa::load(p);
}

// The same from raw pixel bytes, each converted to its float exactly. A
// tail is copied to a zeroed vector's worth of bytes first, since a masked
// byte load needs more than the path's instruction sets.
template <class Isa, bool Masked>
typename Isa::vec load(const std::uint8_t* p, typename Isa::mask, int tail_count) {
  if constexpr (Masked) {
    std::uint8_t part[Isa::width] = {};
    for (int i = 0; i < tail_count; ++i) part[i] = p[i];
    return Isa::load_bytes(part);
  } else {
    return Isa::load_bytes(p);
  }
}

template <class Isa, bool Masked>
typename Isa::vec load(const float* p, typename Isa::mask tail, int) {
  return load<Isa, Masked>(p, tail);
}

template <class Isa, bool Masked>
void store(float* p, typename Isa::vec v, typename Isa::mask tail) {
  if constexpr (Masked) Isa::store(p, v, tail);
  else Isa::store(p, v);
}

// c = alpha·sum + beta·c; with beta == 0, c's old contents (perhaps NaN)
// are not read.
template <class Isa, bool Masked>
void update(float* c, typename Isa::vec sum, float alpha, float beta, typename Isa::mask tail) {
  auto scaled = Isa::mul(Isa::set1(alpha), sum);
  if (beta != 0.0f)
    scaled = Isa::fmadd(Isa::set1(beta), load<Isa, Masked>(c, tail), scaled);
  store<Isa, Masked>(c, scaled, tail);
}

// ---------------------------------------------------------------------------
// matmul, axpy form: op(B) stored (K, N), so every row of C is a sum of B's
// rows scaled by a(i, k) = a[i·a_row + k·a_k] (A or Aᵀ: only the strides
// differ). Vectorised along N. This is the weight gradient dW1 (10, 784) =
// dZ1ᵀ (10, m) · X (m, 784): per sample, 10 scaled copies of its X row.

// The rows of b the next pass will read (the same columns, ldb apart), to
// prefetch into L2 while this one computes, so that X streams from memory
// during the arithmetic rather than before it.
template <class T>
struct Ahead {
  const T* rows;
  int count;
};

// One register tile: Rows rows of C by Vectors vectors of columns, summed
// over kc rows of b; with Tail, the last vector holds only the lanes in tail.
// ARow, when not 0, is a_row known at compile time: with a(i, k) = Aᵀ's
// contiguous rows (dZ1ᵀ), the broadcasts then take fixed offsets rather than
// one index register per row, which would spill.
template <class Isa, int Rows, int Vectors, bool Tail, int ARow, class T>
void axpy_tile(const float* a, Index a_row, Index a_k, const T* b, Index ldb, int kc,
               Ahead<T> ahead, float alpha, float beta, float* c, Index ldc,
               typename Isa::mask tail, int tail_count) {
  if constexpr (ARow != 0) a_row = ARow;
  using V = typename Isa::vec;
  constexpr int W = Isa::width;
  V acc[Rows][Vectors];
#pragma GCC unroll 16
  for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) acc[r][v] = Isa::zero();
  for (int k = 0; k < kc; ++k, a += a_k, b += ldb) {
    V bv[Vectors];
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) {
      bv[v] = Tail && v == Vectors - 1 ? load<Isa, true>(b + v * W, tail, tail_count)
                                       : load<Isa, false>(b + v * W, tail, W);
      if (k < ahead.count && v * W * sizeof(T) % kLineBytes == 0)
        __builtin_prefetch(ahead.rows + k * ldb + v * W, 0, 2);
    }
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 4
      for (int v = 0; v < Vectors; ++v)
        acc[r][v] = Isa::fmadd_broadcast(a + r * a_row, bv[v], acc[r][v]);
  }
#pragma GCC unroll 16
  for (int r = 0; r < Rows; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) {
      float* cv = c + r * ldc + v * W;
      if (Tail && v == Vectors - 1) update<Isa, true>(cv, acc[r][v], alpha, beta, tail);
      else update<Isa, false>(cv, acc[r][v], alpha, beta, tail);
    }
}

// C (M, n), rows ldc apart, = alpha · Σ_{k<kc} a(i, k) · b (k, n) + beta · C.
template <class Isa, int ARow = 0, class T>
void axpy_panel(const float* a, Index a_row, Index a_k, const T* b, Index ldb, int M, int n,
                int kc, Ahead<T> ahead, float alpha, float beta, float* c, Index ldc) {
  constexpr int W = Isa::width, Rows = Isa::axpy_rows, Vectors = Isa::axpy_vectors;
  for (int i0 = 0; i0 < M; i0 += Rows) {
    const float* ai = a + i0 * a_row;
    float* ci = c + i0 * ldc;
    with_count<Rows>(min_int(Rows, M - i0), [&]<int R>() {
      int j0 = 0;
      for (; j0 + Vectors * W <= n; j0 += Vectors * W)
        axpy_tile<Isa, R, Vectors, false, ARow>(ai, a_row, a_k, b + j0, ldb, kc,
                                          Ahead<T>{ahead.rows + j0, ahead.count}, alpha, beta,
                                          ci + j0, ldc, Isa::all(), W);
      if (j0 == n) return;
      const int rest = n - j0, vectors = (rest + W - 1) / W;
      const int tail_count = rest - (vectors - 1) * W;
      const auto tail = Isa::first(tail_count);
      with_count<Vectors>(vectors, [&]<int Vs>() {
        axpy_tile<Isa, R, Vs, true, ARow>(ai, a_row, a_k, b + j0, ldb, kc,
                                    Ahead<T>{ahead.rows + j0, ahead.count}, alpha, beta, ci + j0,
                                    ldc, tail, tail_count);
      });
    });
  }
}

// C (M, N) = alpha · op(A) · B + beta · C, B stored (K, N) and followed by
// rows_after more rows, the next call's. B goes by in passes of tiles.chunk
// rows, a size from L1d (tile_choice.h): each column tile reads one line of
// every row of the pass, and with bytes its neighbour reads the other half
// of the same lines, from L1 while the pass's lines fit there. C is read and
// written once per pass rather than once per row.
template <class Isa, int ARow = 0, class T>
void axpy_matmul(const float* A, Index a_row, Index a_k, const T* B, int M, int N, int K,
                 float alpha, float beta, float* C, int rows_after, const TileConfig& tiles) {
  const int chunk = tiles.chunk;
  int k0 = 0;
  do {  // at least once: with K == 0, C is still alpha·0 + beta·C
    const int kc = min_int(chunk, K - k0);
    const Ahead<T> next{B + Index(k0 + kc) * N, min_int(chunk, K + rows_after - k0 - kc)};
    axpy_panel<Isa, ARow>(A + k0 * a_k, a_row, a_k, B + Index(k0) * N, N, M, N, kc, next, alpha, beta,
                    C, N);
    k0 += kc;
    beta = 1.0f;  // later chunks add to what the first wrote
  } while (k0 < K);
}

// C (M, N) = alpha · op(A) · Bᵀ + beta · C, B stored (N, K), when the dot form
// does not pay: Bᵀ is copied a panel at a time into (k, n) order and the axpy
// form runs on it. For Aᵀ·Bᵀ, and for A·Bᵀ with short rows (Z2 = A1 · W2ᵀ, K = 10).
// A panel is tiles.panel_columns wide and as many of a chunk's rows as the
// stack buffer (kPanelFloats) then holds.
template <class Isa>
void packed_matmul(const float* A, Index a_row, Index a_k, const float* B, int M, int N, int K,
                   float alpha, float beta, float* C, const TileConfig& tiles) {
  alignas(64) float panel[kPanelFloats];
  const int columns = tiles.panel_columns;
  const int rows = min_int(tiles.chunk, kPanelFloats / columns);
  int k0 = 0;
  do {
    const int kc = min_int(rows, K - k0);
    for (int j0 = 0; j0 < N; j0 += columns) {
      const int nb = min_int(columns, N - j0);
      for (int j = 0; j < nb; ++j)
        for (int k = 0; k < kc; ++k) panel[k * nb + j] = B[Index(j0 + j) * K + k0 + k];
      axpy_panel<Isa, 0, float>(A + k0 * a_k, a_row, a_k, panel, nb, M, nb, kc, Ahead<float>{panel, 0},
                             alpha, beta, C + j0, N);
    }
    k0 += kc;
    beta = 1.0f;
  } while (k0 < K);
}

// ---------------------------------------------------------------------------
// matmul, dot form: A (M, K) · Bᵀ with B stored (N, K), so C[i][j] is the dot
// product of two contiguous rows. Vectorised along K. This is the forward
// Z1 (m, 10) = X (m, 784) · W1ᵀ: per sample, 10 dot products of length 784,
// the tile holding RowsA samples against RowsB rows of W1, which come from L1
// while X streams past once.

template <class Isa, int RowsA, int RowsB, class T>
void dot_tile(const T* a, const T* ahead, const float* b, int K, float alpha, float beta,
              float* c, Index ldc) {
  using V = typename Isa::vec;
  constexpr int W = Isa::width;
  V acc[RowsA][RowsB];
#pragma GCC unroll 4
  for (int r = 0; r < RowsA; ++r)
#pragma GCC unroll 16
    for (int s = 0; s < RowsB; ++s) acc[r][s] = Isa::zero();
  const auto step = [&]<bool Masked>(int k, typename Isa::mask tail) {
    V av[RowsA];
#pragma GCC unroll 4
    for (int r = 0; r < RowsA; ++r) {
      av[r] = load<Isa, Masked>(a + Index(r) * K + k, tail, K - k);
      if ((k * sizeof(T)) % kLineBytes == 0) __builtin_prefetch(ahead + Index(r) * K + k, 0, 2);
    }
#pragma GCC unroll 16
    for (int s = 0; s < RowsB; ++s) {
      // Loaded once for its RowsA FMAs: left to itself GCC folds the load
      // into each of them, and the loads, not the FMAs, then bound the loop.
      const V bv = Isa::in_register(load<Isa, Masked>(b + Index(s) * K + k, tail));
#pragma GCC unroll 4
      for (int r = 0; r < RowsA; ++r) acc[r][s] = Isa::fmadd(av[r], bv, acc[r][s]);
    }
  };
  int k = 0;
  for (; k + W <= K; k += W) step.template operator()<false>(k, Isa::all());
  if (k < K) step.template operator()<true>(k, Isa::first(K - k));
  // Each accumulator's lanes summed: where the path can, all of a sample's
  // RowsB at once into one vector's first lanes (a shuffle tree that shares
  // its steps between them, a third of the instructions of one reduction
  // each on AVX-512), stored with one masked store.
  if constexpr (RowsB <= W && requires { Isa::template sum_lanes<RowsB>(acc[0]); }) {
#pragma GCC unroll 4
    for (int r = 0; r < RowsA; ++r)
      update<Isa, true>(c + r * ldc, Isa::template sum_lanes<RowsB>(acc[r]), alpha, beta,
                        Isa::first(RowsB));
  } else {
#pragma GCC unroll 4
    for (int r = 0; r < RowsA; ++r)
#pragma GCC unroll 16
      for (int s = 0; s < RowsB; ++s) {
        const float sum = Isa::reduce_add(acc[r][s]);
        float& out = c[r * ldc + s];
        out = beta == 0.0f ? alpha * sum : alpha * sum + beta * out;
      }
  }
}

// A (M, K) is followed by rows_after more rows, the next call's. RowsA ×
// RowsB is the register tile; A of bytes takes one with fewer samples and
// more rows of W1, so that each sample's bytes are converted fewer times.
// The rows of A (the samples) are prefetched tiles.prefetch_bytes ahead, a
// size from L1d (tile_choice.h), into L2 rather than L1: W1 alone nearly
// fills L1, and lines fetched further ahead into it would be evicted before use.
template <class Isa, int RowsA = Isa::dot_rows_a, int RowsB = Isa::dot_rows_b, class T>
void dot_matmul(const T* A, const float* B, int M, int N, int K, float alpha, float beta,
                float* C, int rows_after, const TileConfig& tiles) {
  const int prefetch_rows = int(tiles.prefetch_bytes / (Index(K) * Index(sizeof(T))));
  for (int i0 = 0; i0 < M; i0 += RowsA)
    with_count<RowsA>(min_int(RowsA, M - i0), [&]<int Ra>() {
      const T* a = A + Index(i0) * K;
      const int i_ahead = i0 + prefetch_rows;
      const T* ahead = i_ahead + Ra <= M + rows_after ? A + Index(i_ahead) * K : a;
      for (int j0 = 0; j0 < N; j0 += RowsB)
        with_count<RowsB>(min_int(RowsB, N - j0), [&]<int Rb>() {
          dot_tile<Isa, Ra, Rb, T>(a, ahead, B + Index(j0) * K, K, alpha, beta,
                                C + Index(i0) * N + j0, N);
        });
    });
}

template <class Isa>
void matmul(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A,
            const float* B, float beta, float* C, int rows_after, const TileConfig& tiles) {
  if (M <= 0 || N <= 0) return;
  // a(i, k) is A[i][k], or A[k][i] when trans_a.
  const Index a_row = trans_a ? 1 : K, a_k = trans_a ? M : 1;
  if (!trans_b)
    axpy_matmul<Isa>(A, a_row, a_k, B, M, N, K, alpha, beta, C, rows_after, tiles);
  else if (!trans_a && K >= 4 * Isa::width)  // enough FMAs to repay each tile's reductions
    dot_matmul<Isa>(A, B, M, N, K, alpha, beta, C, rows_after, tiles);
  else
    packed_matmul<Isa>(A, a_row, a_k, B, M, N, K, alpha, beta, C, tiles);
}

// The two products with the input matrix, reading it as raw pixel bytes
// (exact floats 0-255; the caller's alpha carries the 1/255).
// Z1 (M, N) = alpha · X (M, K) · W1ᵀ, W1 stored (N, K).
template <class Isa>
void matmul_x_w1t_bytes(int M, int N, int K, float alpha, const std::uint8_t* X, const float* W1,
                        float* C, int rows_after, const TileConfig& tiles) {
  if (M <= 0 || N <= 0) return;
  dot_matmul<Isa, Isa::byte_dot_rows_a, Isa::byte_dot_rows_b>(X, W1, M, N, K, alpha, 0.0f, C,
                                                               rows_after, tiles);
}

// dW1 (M, N) = alpha · dZ1ᵀ · X + beta · dW1, dZ1 stored (K, M), X (K, N).
template <class Isa>
void matmul_dz1t_x_bytes(int M, int N, int K, float alpha, const float* dZ1,
                         const std::uint8_t* X, float beta, float* C, int rows_after,
                         const TileConfig& tiles) {
  if (M <= 0 || N <= 0) return;
  axpy_matmul<Isa, 1>(dZ1, 1, M, X, M, N, K, alpha, beta, C, rows_after, tiles);
}

// ---------------------------------------------------------------------------
// Elementwise and row ops: full vectors, then one masked vector for the rest.
// The activations are (m, 10): rows shorter than a vector. Row by row, each
// row would end in a masked store and the next begin with a load from the
// same cache line, which the store cannot forward to (a stall of some 20
// cycles a row); so short rows are handled as one flat array, or kept in
// registers from load to store.

// Calls f(offset, tail) over [0, n) a vector at a time; f is a template on Masked.
template <class Isa, class F>
void for_each_vector(std::size_t n, F&& f) {
  constexpr int W = Isa::width;
  std::size_t i = 0;
  for (; i + W <= n; i += W) f.template operator()<false>(i, Isa::all());
  if (i < n) f.template operator()<true>(i, Isa::first(int(n - i)));
}

// Floats in the stack copy of the bias repeated out to a whole number of vectors.
constexpr int kBiasPatternFloats = 1024;

template <class Isa>
void add_bias(float* Z, const float* b, int rows, int cols) {
  constexpr int W = Isa::width;
  // Every lcm(cols, W) floats the flat array meets the same vectors of b.
  int period = cols;
  while (period % W != 0) period += cols;
  if (period <= kBiasPatternFloats) {
    alignas(64) float pattern[kBiasPatternFloats];
    for (int t = 0; t < period; ++t) pattern[t] = b[t % cols];
    int at = 0;
    for_each_vector<Isa>(std::size_t(rows) * cols,
                         [&]<bool Masked>(std::size_t i, typename Isa::mask tail) {
      const auto sum =
          Isa::add(load<Isa, Masked>(Z + i, tail), load<Isa, Masked>(pattern + at, tail));
      store<Isa, Masked>(Z + i, sum, tail);
      at = at + W == period ? 0 : at + W;
    });
    return;
  }
  for (int i = 0; i < rows; ++i) {
    float* z = Z + Index(i) * cols;
    for_each_vector<Isa>(cols, [&]<bool Masked>(std::size_t j, typename Isa::mask tail) {
      const auto sum = Isa::add(load<Isa, Masked>(z + j, tail), load<Isa, Masked>(b + j, tail));
      store<Isa, Masked>(z + j, sum, tail);
    });
  }
}

template <class Isa>
void relu_forward(float* A, const float* Z, std::size_t n) {
  for_each_vector<Isa>(n, [&]<bool Masked>(std::size_t i, typename Isa::mask tail) {
    const auto z = load<Isa, Masked>(Z + i, tail);
    store<Isa, Masked>(A + i, Isa::keep_positive(z, z), tail);
  });
}

template <class Isa>
void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) {
  for_each_vector<Isa>(n, [&]<bool Masked>(std::size_t i, typename Isa::mask tail) {
    const auto kept = Isa::keep_positive(load<Isa, Masked>(Z + i, tail),
                                         load<Isa, Masked>(dA + i, tail));
    store<Isa, Masked>(dZ + i, kept, tail);
  });
}

// e^x for x <= 0 (softmax's z - max), within a few ulps: Cephes' expf.
// x = n·ln2 + r with |r| <= ln2/2 (ln2 split in two so n·ln2 is exact),
// e^r by a degree-6 polynomial, then scaled by 2^n.
template <class Isa>
typename Isa::vec exp_polynomial(typename Isa::vec x) {
  // Below -87.3, e^x is under the smallest normal float and 2^n would not be
  // one; such probabilities are 0 to well within the 1e-6 the tests allow.
  x = Isa::max(x, Isa::set1(-87.33654f));
  x = Isa::min(x, Isa::set1(88.0f));
  const auto n = Isa::round_nearest(Isa::mul(x, Isa::set1(1.44269504088896341f)));
  auto r = Isa::fnmadd(n, Isa::set1(0.693359375f), x);
  r = Isa::fnmadd(n, Isa::set1(-2.12194440e-4f), r);
  auto p = Isa::set1(1.9875691500e-4f);
  p = Isa::fmadd(p, r, Isa::set1(1.3981999507e-3f));
  p = Isa::fmadd(p, r, Isa::set1(8.3334519073e-3f));
  p = Isa::fmadd(p, r, Isa::set1(4.1665795894e-2f));
  p = Isa::fmadd(p, r, Isa::set1(1.6666665459e-1f));
  p = Isa::fmadd(p, r, Isa::set1(5.0000001201e-1f));
  const auto e = Isa::add(Isa::fmadd(p, Isa::mul(r, r), r), Isa::set1(1.0f));
  return Isa::times_pow2(e, n);
}

// Rows of up to Vectors vectors, held in registers from load to store.
template <class Isa, int Vectors>
void softmax_short_rows(float* P, const float* Z, int rows, int cols) {
  using V = typename Isa::vec;
  constexpr int W = Isa::width;
  const V lowest = Isa::set1(-__builtin_inff());
  const auto tail = Isa::first(cols - (Vectors - 1) * W);
  for (int i = 0; i < rows; ++i) {
    const float* z = Z + Index(i) * cols;
    float* p = P + Index(i) * cols;
    V e[Vectors];
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v)
      e[v] = v == Vectors - 1 ? Isa::load_or(z + v * W, tail, lowest) : Isa::load(z + v * W);
    // Subtracting the row's maximum keeps exp() from overflowing; the result is unchanged.
    V max = e[0];
#pragma GCC unroll 4
    for (int v = 1; v < Vectors; ++v) max = Isa::max(max, e[v]);
    const V row_max = Isa::set1(Isa::reduce_max(max));
    V sum = Isa::zero();
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) {
      e[v] = Isa::exp(Isa::sub(e[v], row_max));
      if (v == Vectors - 1) e[v] = Isa::keep(e[v], tail);
      sum = Isa::add(sum, e[v]);
    }
    const V row_sum = Isa::set1(Isa::reduce_add(sum));
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) {
      if (v == Vectors - 1) Isa::store(p + v * W, Isa::div(e[v], row_sum), tail);
      else Isa::store(p + v * W, Isa::div(e[v], row_sum));
    }
  }
}

// Longer rows: a pass for the maximum, one for exp and the sum, one to divide.
template <class Isa>
void softmax_long_rows(float* P, const float* Z, int rows, int cols) {
  const auto lowest = Isa::set1(-__builtin_inff());
  for (int i = 0; i < rows; ++i) {
    const float* z = Z + Index(i) * cols;
    float* p = P + Index(i) * cols;
    auto max = lowest;
    for_each_vector<Isa>(cols, [&]<bool Masked>(std::size_t j, typename Isa::mask tail) {
      max = Isa::max(max, Masked ? Isa::load_or(z + j, tail, lowest) : Isa::load(z + j));
    });
    const auto row_max = Isa::set1(Isa::reduce_max(max));
    auto sum = Isa::zero();
    for_each_vector<Isa>(cols, [&]<bool Masked>(std::size_t j, typename Isa::mask tail) {
      const auto e = Isa::exp(Isa::sub(load<Isa, Masked>(z + j, tail), row_max));
      store<Isa, Masked>(p + j, e, tail);
      sum = Isa::add(sum, Masked ? Isa::keep(e, tail) : e);
    });
    const auto row_sum = Isa::set1(Isa::reduce_add(sum));
    for_each_vector<Isa>(cols, [&]<bool Masked>(std::size_t j, typename Isa::mask tail) {
      store<Isa, Masked>(p + j, Isa::div(load<Isa, Masked>(p + j, tail), row_sum), tail);
    });
  }
}

// Rows up to this many vectors long take the register path.
constexpr int kShortRowVectors = 4;

template <class Isa>
void softmax_rows(float* P, const float* Z, int rows, int cols) {
  constexpr int W = Isa::width;
  if (cols <= 0) return;
  if (cols > kShortRowVectors * W) return softmax_long_rows<Isa>(P, Z, rows, cols);
  with_count<kShortRowVectors>((cols + W - 1) / W, [&]<int Vs>() {
    softmax_short_rows<Isa, Vs>(P, Z, rows, cols);
  });
}

template <class Isa>
void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                    int rows, int cols) {
  for_each_vector<Isa>(std::size_t(rows) * cols,
                       [&]<bool Masked>(std::size_t i, typename Isa::mask tail) {
    store<Isa, Masked>(dZ + i, load<Isa, Masked>(P + i, tail), tail);
  });
  for (int i = 0; i < rows; ++i)
    if (labels[i] < cols) dZ[Index(i) * cols + labels[i]] = P[Index(i) * cols + labels[i]] - 1.0f;
}

// Columns per pass: up to 4 vectors of sums stay in registers while the rows stream by.
constexpr int kSumVectors = 4;

template <class Isa>
void column_sums(float* out, const float* M, int rows, int cols, float scale) {
  constexpr int W = Isa::width;
  for (int j0 = 0; j0 < cols; j0 += kSumVectors * W) {
    const int rest = min_int(kSumVectors * W, cols - j0), vectors = (rest + W - 1) / W;
    const auto tail = Isa::first(rest - (vectors - 1) * W);
    with_count<kSumVectors>(vectors, [&]<int Vs>() {
      typename Isa::vec sum[Vs];
      for (int v = 0; v < Vs; ++v) sum[v] = Isa::zero();
      for (int i = 0; i < rows; ++i) {
        const float* row = M + Index(i) * cols + j0;
#pragma GCC unroll 4
        for (int v = 0; v < Vs; ++v)
          sum[v] = Isa::add(sum[v], v == Vs - 1 ? Isa::load(row + v * W, tail)
                                                : Isa::load(row + v * W));
      }
      for (int v = 0; v < Vs; ++v) {
        const auto scaled = Isa::mul(Isa::set1(scale), sum[v]);
        if (v == Vs - 1) Isa::store(out + j0 + v * W, scaled, tail);
        else Isa::store(out + j0 + v * W, scaled);
      }
    });
  }
}

template <class Isa>
void sgd_update(float* params, const float* grads, std::size_t n, float alpha) {
  const auto a = Isa::set1(alpha);
  for_each_vector<Isa>(n, [&]<bool Masked>(std::size_t i, typename Isa::mask tail) {
    const auto updated =
        Isa::fnmadd(a, load<Isa, Masked>(grads + i, tail), load<Isa, Masked>(params + i, tail));
    store<Isa, Masked>(params + i, updated, tail);
  });
}

// ---------------------------------------------------------------------------
// The tutorial's small layers (10 hidden units, 10 outputs), from Z1 = X·W1ᵀ
// to dZ1: the ops from add_bias to relu_backward in registers, instead of
// eight passes over short rows. One sample per lane, Isa::width samples at a
// time, each unit's values in one vector: every op then keeps all lanes busy
// on independent samples. With one sample per vector instead (10 of 16 lanes
// used), each sample was a chain of dependent steps (the row's max and sum,
// broadcasts between the products), and latency, not the pipes, set the
// pace: 1.1 ms of a 9 ms step on Zen 5. Needs a vector of at least
// kSmallUnits (kernels.h) lanes, for the transposes.

// Groups of samples ahead of the one computing whose A2 lines small_layers
// prefetches: a judgement (about 2.5 KB of lines in flight), not tuned.
constexpr int kA2GroupsAhead = 4;

// Groups whose A1 and dZ2 small_layers keeps (in L1, 10 KB) before adding
// their products to dW2's lane sums: each sum is then loaded and stored once
// per this many groups rather than once per group. A judgement, not tuned.
constexpr int kDw2Groups = 8;

// For rows samples: A1 = ReLU(Z1 + b1); Z2 = A1·W2ᵀ + b2; A2 = softmax(Z2);
// dZ2 = A2 - one_hot(labels); dZ1 = (dZ2·W2) * ReLU'(Z1 + b1); and sums (the
// running, unscaled dW2 (10, 10), then db2 (10), then db1 (10)) += dZ2ᵀ·A1,
// Σ dZ2, Σ dZ1. z1 (rows, 10) is read without its bias and left so; only a2
// (the loss's probabilities) and dz1 (the dW1 product's factor), each
// (rows, 10), are written back: a1, z2 and dz2 are not read again, so their
// transposes would be wasted (the arguments stay, as Kernels declares them).
template <class Isa>
void small_layers(int rows, const float* b1, const float* W2, const float* b2,
                  const std::uint8_t* labels, float* z1, float*, float*, float* a2,
                  float*, float* dz1, float* sums) {
  using V = typename Isa::vec;
  constexpr int W = Isa::width, U = kSmallUnits, Sums = U * U + 2 * U;
  static_assert(W >= U);
  const auto units = Isa::first(U);
  // Each lane's share of sums, in sums' layout, added across the lanes once
  // at the end: a fixed order for any thread count, as thread invariance
  // needs. In memory (L1), loaded and stored around each update: held as an
  // array of vectors, GCC kept two copies of it on the stack and stored both.
  alignas(64) float lane_sums[Sums][W] = {};
  float* const dw2 = lane_sums[0];
  float* const db2 = lane_sums[U * U];
  float* const db1 = lane_sums[U * U + U];
  const auto add_to = [](float* sum, V v) { Isa::store(sum, Isa::add(Isa::load(sum), v)); };
  const auto w2 = [W2](int o, int h) { return Isa::set1(W2[o * U + h]); };
  // The last groups' A1 and dZ2 by unit, for dW2. Adding each group's 100
  // products to the sums in memory straight away took 100 loads and 100
  // stores a group, the kernel's hottest instructions in perf: alone on one
  // Zen 5 core, 58,784 samples took 0.51 ms that way and 0.47 ms this way.
  alignas(64) float chunk_a1[kDw2Groups][U][W], chunk_dz2[kDw2Groups][U][W];
  // dW2's lane sums += the first groups of the chunk's dZ2ᵀ·A1, in group
  // order (the sums' order as when added group by group): two rows of dW2
  // at a time in registers, 12 loads for every 20 FMAs.
  const auto add_chunk_to_dw2 = [&](int groups) {
    for (int o = 0; o < U; o += 2) {
      V sum[2][U];
#pragma GCC unroll 16
      for (int h = 0; h < U; ++h) {
        sum[0][h] = Isa::load(dw2 + (o * U + h) * W);
        sum[1][h] = Isa::load(dw2 + ((o + 1) * U + h) * W);
      }
      for (int g = 0; g < groups; ++g) {
        const V dz2_o = Isa::load(chunk_dz2[g][o]), dz2_next = Isa::load(chunk_dz2[g][o + 1]);
#pragma GCC unroll 16
        for (int h = 0; h < U; ++h) {
          const V a1 = Isa::load(chunk_a1[g][h]);
          sum[0][h] = Isa::fmadd(dz2_o, a1, sum[0][h]);
          sum[1][h] = Isa::fmadd(dz2_next, a1, sum[1][h]);
        }
      }
#pragma GCC unroll 16
      for (int h = 0; h < U; ++h) {
        Isa::store(dw2 + (o * U + h) * W, sum[0][h]);
        Isa::store(dw2 + ((o + 1) * U + h) * W, sum[1][h]);
      }
    }
  };
  static_assert(kSmallUnits % 2 == 0, "add_chunk_to_dw2 takes dW2's rows two at a time");
  // One group of Isa::width samples from row i, of which only the first
  // live are there when Tail (lanes from live on then idle); its A1 and dZ2
  // go to the chunk's slot.
  const auto group = [&]<bool Tail>(int i, int live, int slot) {
    const auto live_lanes = Isa::first(live);
    // A2's rows are the one output that outlives the block, and their lines
    // come from memory: asked for ahead (for writing), so that the stores
    // below do not wait for them and fill the store queue. Only within
    // a2's rows: a pointer past them would be undefined, even unread.
    if (const int ahead = i + kA2GroupsAhead * W; ahead + W <= rows)
      for (int line = 0; line < W * U; line += kLineBytes / int(sizeof(float)))
        __builtin_prefetch(a2 + Index(ahead) * U + line, 1, 3);
    // Rows (live, 10) in, one vector per sample, transposed to one per unit.
    // Idle lanes hold 0 (and then b1): finite, and their dZ2 is zeroed below.
    V t[W];
#pragma GCC unroll 16
    for (int s = 0; s < W; ++s)
      t[s] = !Tail || s < live ? Isa::load(z1 + Index(i + s) * U, units) : Isa::zero();
    Isa::transpose(t);
    // The inverse: vectors by unit to rows (live, 10) of out.
    const auto store_rows = [&](float* out, const V* by_unit) {
#pragma GCC unroll 16
      for (int s = 0; s < W; ++s) t[s] = s < U ? by_unit[s] : Isa::zero();
      Isa::transpose(t);
#pragma GCC unroll 16
      for (int s = 0; s < W; ++s)
        if (!Tail || s < live) Isa::store(out + Index(i + s) * U, t[s], units);
    };
    V a[U];
#pragma GCC unroll 16
    for (int h = 0; h < U; ++h) {
      const V z = Isa::add(t[h], Isa::set1(b1[h]));
      a[h] = Isa::keep_positive(z, z);
      Isa::store(chunk_a1[slot][h], a[h]);
    }
    V p[U];
#pragma GCC unroll 16
    for (int o = 0; o < U; ++o) {
      p[o] = Isa::set1(b2[o]);
#pragma GCC unroll 16
      for (int h = 0; h < U; ++h) p[o] = Isa::fmadd(a[h], w2(o, h), p[o]);
    }
    // Subtracting each sample's maximum keeps exp() from overflowing; the result is unchanged.
    V max = p[0];
#pragma GCC unroll 16
    for (int o = 1; o < U; ++o) max = Isa::max(max, p[o]);
    V sum = Isa::zero();
#pragma GCC unroll 16
    for (int o = 0; o < U; ++o) {
      p[o] = Isa::exp(Isa::sub(p[o], max));
      sum = Isa::add(sum, p[o]);
    }
#pragma GCC unroll 16
    for (int o = 0; o < U; ++o) p[o] = Isa::div(p[o], sum);
    store_rows(a2, p);
    // dZ2 in place of A2; a label of 10 or more matches no output.
    const V label = load<Isa, Tail>(labels + i, live_lanes, live);
#pragma GCC unroll 16
    for (int o = 0; o < U; ++o) {
      p[o] = Isa::minus_one_where_equal(p[o], label, Isa::set1(float(o)));
      if constexpr (Tail) p[o] = Isa::keep(p[o], live_lanes);
      add_to(db2 + o * W, p[o]);
      Isa::store(chunk_dz2[slot][o], p[o]);
    }
    V d[U];
#pragma GCC unroll 16
    for (int h = 0; h < U; ++h) {
      d[h] = Isa::zero();
#pragma GCC unroll 16
      for (int o = 0; o < U; ++o) d[h] = Isa::fmadd(p[o], w2(o, h), d[h]);
      // a > 0 exactly where Z1 + b1 > 0.
      d[h] = Isa::keep_positive(a[h], d[h]);
      add_to(db1 + h * W, d[h]);
    }
    store_rows(dz1, d);
  };
  int i = 0, slot = 0;
  for (; i + W <= rows; i += W) {
    group.template operator()<false>(i, W, slot);
    if (++slot == kDw2Groups) {
      add_chunk_to_dw2(slot);
      slot = 0;
    }
  }
  if (i < rows) group.template operator()<true>(i, rows - i, slot++);
  if (slot > 0) add_chunk_to_dw2(slot);
  // sums += the lanes' shares, Isa::width sums at a time.
  for (int j = 0; j < Sums; j += W) {
    const int n = min_int(W, Sums - j);
    const auto m = Isa::first(n);
    V shares[W];
#pragma GCC unroll 16
    for (int k = 0; k < W; ++k) shares[k] = k < n ? Isa::load(lane_sums[j + k]) : Isa::zero();
    Isa::store(sums + j, Isa::add(Isa::load(sums + j, m), Isa::template sum_lanes<W>(shares)), m);
  }
}

template <class Isa>
constexpr auto small_layers_kernel() {
  if constexpr (Isa::width >= kSmallUnits) return &small_layers<Isa>;
  else return static_cast<decltype(&small_layers<Isa>)>(nullptr);
}

// The table for one Isa.
template <class Isa>
constexpr Kernels make_kernels(const char* isa) {
  return {isa,
          Isa::width,
          &matmul<Isa>,
          &add_bias<Isa>,
          &relu_forward<Isa>,
          &relu_backward<Isa>,
          &softmax_rows<Isa>,
          &softmax_cross_entropy_backward<Isa>,
          &column_sums<Isa>,
          &sgd_update<Isa>,
          &matmul_x_w1t_bytes<Isa>,
          nullptr,
          &matmul_dz1t_x_bytes<Isa>,
          small_layers_kernel<Isa>()};
}

}  // namespace
}  // namespace mnistbench::simd
