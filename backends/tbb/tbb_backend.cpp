// tbb: the op table on the common executor (common/platform/executor.h: oneTBB
// underneath; its std::thread pool only in a build configured without oneTBB,
// as the ThreadSanitizer build is, which `list` then shows). Each op splits its rows into bands whose boundaries depend on
// the problem size alone and runs one kernel per band; the same kernel serves
// a band of one row or of all of them. Sums over samples give each fixed
// chunk of samples its own partial and add the partials in chunk order. So 1,
// 2 or 16 threads give the same bits: the thread count only changes which
// thread runs which band, never what a band computes or the order of any
// addition. Every op is its own parallel call, so any layer list runs through
// the default step.
//
// The kernels are plain loops shaped so that the compiler vectorises them
// without -ffast-math (which would let it reorder sums): independent partial
// sums instead of one long chain, and contiguous inner loops.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "common/model/backend.h"
#include "common/platform/executor.h"
#include "common/model/softmax_row.h"

namespace mnistbench {
namespace {

// Work per band, in multiply-adds or elements: scheduling a band (about a
// microsecond) stays small next to running it, and a 59,000-sample batch still
// splits into far more bands than threads, so the load balances.
constexpr std::size_t kBandWork = std::size_t(1) << 17;

// Samples per partial in sums over samples. Only the batch size sets the
// number of partials; 1024 keeps adding them up under 0.1% of the work.
constexpr int kReductionRows = 1024;

// Columns of C one NN row tile accumulates on the stack.
constexpr int kTile = 256;

// The compiler picks the vector instructions from the target flags; the
// project builds for baseline x86-64, which gives SSE2.
constexpr const char* kIsa =
#if defined(__AVX512F__)
    "AVX-512 (compiler-vectorised loops)";
#elif defined(__AVX2__)
    "AVX2 (compiler-vectorised loops)";
#elif defined(__SSE2__)
    "SSE2 (compiler-vectorised loops, baseline x86-64)";
#else
    "scalar loops";
#endif

std::size_t rows_per_band(std::size_t work_per_row) {
  return std::max<std::size_t>(1, kBandWork / std::max<std::size_t>(1, work_per_row));
}

// With beta == 0, C's old value is never read: it may be NaN.
void store(float& c, float sum, float alpha, float beta) {
  c = beta == 0.0f ? alpha * sum : alpha * sum + beta * c;
}

// Σ a[k]·b[k] for k < K, in 16 interleaved sums: four vector registers of
// independent chains, which hide the adder's latency.
float dot(const float* __restrict a, const float* __restrict b, int K) {
  float acc[16] = {};
  int k = 0;
  for (; k + 16 <= K; k += 16)
    for (int l = 0; l < 16; ++l) acc[l] += a[k + l] * b[k + l];
  // Folding lane l of the four registers together keeps the first adds
  // vector adds; the tail has its own sum so that acc is only ever indexed by
  // constants and stays in registers. Both matter when K is small (A1·W2ᵀ).
  float quad[4];
  for (int l = 0; l < 4; ++l) quad[l] = (acc[l] + acc[l + 4]) + (acc[l + 8] + acc[l + 12]);
  float tail = 0.0f;
  for (; k < K; ++k) tail += a[k] * b[k];
  return ((quad[0] + quad[1]) + (quad[2] + quad[3])) + tail;
}

// Rows [i0, i1) of C (M, N) = alpha·A·Bᵀ + beta·C, A (M, K), B (N, K):
// each element a dot product of two contiguous rows.
void matmul_nt_rows(float* C, const float* A, const float* B, int N, int K, float alpha,
                    float beta, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i)
    for (int j = 0; j < N; ++j)
      store(C[i * N + j], dot(A + i * K, B + std::size_t(j) * K, K), alpha, beta);
}

// Rows [i0, i1) of C (M, N) = alpha·A·B + beta·C, A (M, K), B (K, N):
// a row of C is the sum of B's rows scaled by A's row, contiguous along N.
void matmul_nn_rows(float* C, const float* A, const float* B, int N, int K, float alpha,
                    float beta, std::size_t i0, std::size_t i1) {
  float acc[kTile];
  for (std::size_t i = i0; i < i1; ++i) {
    const float* a = A + i * K;
    for (int j0 = 0; j0 < N; j0 += kTile) {
      const int width = std::min(kTile, N - j0);
      std::fill_n(acc, width, 0.0f);
      for (int k = 0; k < K; ++k) {
        const float ak = a[k];
        const float* b = B + std::size_t(k) * N + j0;
        for (int l = 0; l < width; ++l) acc[l] += ak * b[l];
      }
      for (int l = 0; l < width; ++l) store(C[i * N + j0 + l], acc[l], alpha, beta);
    }
  }
}

// P (M, N) = Σ over the samples k in [k0, k1) of A[k]ᵀ·B[k]: A (K, M), B (K, N).
// P takes row-scaled copies of B's rows, contiguous along N (for dW1 = dZ1ᵀ·X,
// the 784 pixels); four samples per pass over P cut its loads and stores by
// four, and each element still adds its terms in sample order.
void matmul_tn_partial(float* __restrict P, const float* __restrict A,
                       const float* __restrict B, int M, int N, std::size_t k0,
                       std::size_t k1) {
  std::fill_n(P, std::size_t(M) * N, 0.0f);
  std::size_t k = k0;
  for (; k + 4 <= k1; k += 4) {
    const float* a = A + k * M;
    const float* b = B + k * N;
    for (int i = 0; i < M; ++i) {
      const float a0 = a[i], a1 = a[M + i], a2 = a[2 * M + i], a3 = a[3 * M + i];
      float* p = P + std::size_t(i) * N;
      for (int j = 0; j < N; ++j)
        p[j] = (((p[j] + a0 * b[j]) + a1 * b[N + j]) + a2 * b[2 * N + j]) + a3 * b[3 * N + j];
    }
  }
  for (; k < k1; ++k)
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) P[std::size_t(i) * N + j] += A[k * M + i] * B[k * N + j];
}

// P (M, N) = Σ over the samples k in [k0, k1) of A[k]ᵀ·(column k of B):
// A (K, M), B (N, K). No product in the network takes this form.
void matmul_tt_partial(float* __restrict P, const float* __restrict A,
                       const float* __restrict B, int M, int N, int K, std::size_t k0,
                       std::size_t k1) {
  std::fill_n(P, std::size_t(M) * N, 0.0f);
  for (std::size_t k = k0; k < k1; ++k)
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j)
        P[std::size_t(i) * N + j] += A[k * M + i] * B[std::size_t(j) * K + k];
}

// P (cols) = the sum of rows [i0, i1) of M (rows, cols).
void column_partial(float* __restrict P, const float* __restrict M, int cols,
                    std::size_t i0, std::size_t i1) {
  std::fill_n(P, cols, 0.0f);
  for (std::size_t i = i0; i < i1; ++i)
    for (int j = 0; j < cols; ++j) P[j] += M[i * cols + j];
}

class TbbBackend final : public Backend {
 public:
  std::string_view name() const override { return "tbb"; }
  BackendInfo info() const override { return {Executor::engine(), kIsa, executor_.threads()}; }

  // The executor checks the count and throws UsageError naming --threads.
  void set_threads(int requested) override { executor_.set_threads(requested); }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    if (trans_a == Transpose::no) {
      const auto kernel = trans_b == Transpose::yes ? matmul_nt_rows : matmul_nn_rows;
      executor_.for_each_band(M, rows_per_band(std::size_t(N) * K),
                              [&](std::size_t i0, std::size_t i1) {
                                kernel(C, A, B, N, K, alpha, beta, i0, i1);
                              });
      return;
    }
    // With op(A) = Aᵀ the work lies along K: for dW(l) = dZ(l)ᵀ·A(l-1), C has
    // a row per unit of layer l (10 in the tutorial's network) and K is the
    // batch. So the samples are split, each chunk summing its own part.
    sum_over_rows(
        K, std::size_t(M) * N,
        [&](float* partial, std::size_t k0, std::size_t k1) {
          if (trans_b == Transpose::yes)
            matmul_tt_partial(partial, A, B, M, N, K, k0, k1);
          else
            matmul_tn_partial(partial, A, B, M, N, k0, k1);
        },
        [&](std::size_t at, float sum) { store(C[at], sum, alpha, beta); });
  }

  void add_bias(float* Z, const float* b, int rows, int cols) override {
    executor_.for_each_band(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i)
        for (int j = 0; j < cols; ++j) Z[i * cols + j] += b[j];
    });
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    executor_.for_each_band(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) A[i] = Z[i] > 0.0f ? Z[i] : 0.0f;
    });
  }

  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    executor_.for_each_band(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) dZ[i] = Z[i] > 0.0f ? dA[i] : 0.0f;
    });
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    // exp() costs tens of operations, so a row is worth more than cols elements.
    executor_.for_each_band(rows, rows_per_band(std::size_t(cols) * 16),
                            [&](std::size_t i0, std::size_t i1) {
                              for (std::size_t i = i0; i < i1; ++i)
                                softmax_row(P + i * cols, Z + i * cols, cols);
                            });
  }

  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    executor_.for_each_band(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i)
        for (int j = 0; j < cols; ++j)
          dZ[i * cols + j] = P[i * cols + j] - (labels[i] == j ? 1.0f : 0.0f);
    });
  }

  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    sum_over_rows(
        rows, cols,
        [&](float* partial, std::size_t i0, std::size_t i1) {
          column_partial(partial, M, cols, i0, i1);
        },
        [&](std::size_t j, float sum) { out[j] = scale * sum; });
  }

  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    executor_.for_each_band(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) params[i] -= alpha * grads[i];
    });
  }

 private:
  // A sum over rows [0, rows) of `width` values per row. Each chunk of
  // kReductionRows rows gets one partial, written by partial(P, begin, end);
  // the executor then adds the partials in chunk order and finish(at, sum)
  // stores each of the width sums. Chunks and order depend on rows only.
  template <class Partial, class Finish>
  void sum_over_rows(int rows, std::size_t width, const Partial& partial, const Finish& finish) {
    const int chunks = std::max(1, (rows + kReductionRows - 1) / kReductionRows);
    // Partials start on separate cache lines, so threads never share one;
    // the sums follow the last partial.
    const std::size_t stride = (width + 15) / 16 * 16;
    if (partials_.size() < (std::size_t(chunks) + 1) * stride)
      partials_.resize((std::size_t(chunks) + 1) * stride);
    float* partials = partials_.data();
    float* sums = partials + std::size_t(chunks) * stride;
    partial_views_.resize(std::size_t(chunks));
    for (int c = 0; c < chunks; ++c) partial_views_[std::size_t(c)] = partials + c * stride;
    executor_.for_each_tile(chunks, [&](int c) {
      const std::size_t begin = std::size_t(c) * kReductionRows;
      partial(partials + c * stride, begin, std::min<std::size_t>(rows, begin + kReductionRows));
    });
    executor_.sum_in_order(sums, partial_views_, width);
    executor_.for_each_band(width, kBandWork, [&](std::size_t j0, std::size_t j1) {
      for (std::size_t j = j0; j < j1; ++j) finish(j, sums[j]);
    });
  }

  Executor executor_;
  AlignedVector<float> partials_;             // (chunks + 1, width) of the latest sum over rows
  std::vector<const float*> partial_views_;   // each chunk's partial in partials_, in chunk order
};

}  // namespace

std::unique_ptr<Backend> make_tbb_backend() { return std::make_unique<TbbBackend>(); }

}  // namespace mnistbench
