// tbb: the op table on oneTBB's work-stealing scheduler. Each op splits its
// rows into bands whose boundaries depend on the problem size alone and runs
// one kernel per band; the same kernel serves a band of one row or of all of
// them. Sums over samples give each fixed chunk of samples its own partial
// and add the partials in chunk order. So 1, 2 or 16 threads give the same
// bits: the thread count only changes which thread runs which band, never
// what a band computes or the order of any addition.
//
// The kernels are plain loops shaped so that the compiler vectorises them
// without -ffast-math (which would let it reorder sums): independent partial
// sums instead of one long chain, and contiguous inner loops.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "common/backend.h"
#include "common/softmax_row.h"

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
  TbbBackend() : arena_(tbb::info::default_concurrency()) {}

  std::string_view name() const override { return "tbb"; }
  BackendInfo info() const override {
    return {std::string("oneTBB ") + TBB_runtime_version(), kIsa, arena_.max_concurrency()};
  }

  void set_threads(int requested) override {
    const int threads = std::max(1, requested);
    // The scheduler lends an arena no more workers than a process-wide limit,
    // the core count by default; more threads than cores (to oversubscribe on
    // purpose) need that limit raised for as long as this backend asks. The
    // limit is the smallest any live control asks for.
    oversubscribed_.reset();
    if (threads > tbb::info::default_concurrency())
      oversubscribed_.emplace(tbb::global_control::max_allowed_parallelism, threads);
    arena_.terminate();
    arena_.initialize(threads);
  }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    if (trans_a == Transpose::no) {
      const auto kernel = trans_b == Transpose::yes ? matmul_nt_rows : matmul_nn_rows;
      for_bands(M, rows_per_band(std::size_t(N) * K), [&](std::size_t i0, std::size_t i1) {
        kernel(C, A, B, N, K, alpha, beta, i0, i1);
      });
      return;
    }
    // With op(A) = Aᵀ the work lies along K: for dW = dZᵀ·X, C has 10 rows and
    // K is the batch. So the samples are split, each chunk summing its own part.
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
    for_bands(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i)
        for (int j = 0; j < cols; ++j) Z[i * cols + j] += b[j];
    });
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    for_bands(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) A[i] = Z[i] > 0.0f ? Z[i] : 0.0f;
    });
  }

  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    for_bands(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) dZ[i] = Z[i] > 0.0f ? dA[i] : 0.0f;
    });
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    // exp() costs tens of operations, so a row is worth more than cols elements.
    for_bands(rows, rows_per_band(std::size_t(cols) * 16), [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) softmax_row(P + i * cols, Z + i * cols, cols);
    });
  }

  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    for_bands(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
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
    for_bands(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      for (std::size_t i = i0; i < i1; ++i) params[i] -= alpha * grads[i];
    });
  }

 private:
  // Runs kernel(begin, end) on bands of [0, n) inside this backend's arena.
  // simple_partitioner halves ranges until they hold at most `grain` items,
  // so the bands follow from n and grain alone.
  template <class Kernel>
  void for_bands(std::size_t n, std::size_t grain, const Kernel& kernel) {
    arena_.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, n, grain),
          [&](const tbb::blocked_range<std::size_t>& r) { kernel(r.begin(), r.end()); },
          tbb::simple_partitioner());
    });
  }

  // A sum over rows [0, rows) of `width` values per row. Each chunk of
  // kReductionRows rows gets one partial, written by partial(P, begin, end);
  // the partials are then added in chunk order and finish(at, sum) stores
  // each of the width sums. Chunks and order depend on rows only.
  template <class Partial, class Finish>
  void sum_over_rows(int rows, std::size_t width, const Partial& partial, const Finish& finish) {
    const std::size_t chunks = std::max(1, (rows + kReductionRows - 1) / kReductionRows);
    // Partials start on separate cache lines, so threads never share one.
    const std::size_t stride = (width + 15) / 16 * 16;
    if (partials_.size() < chunks * stride) partials_.resize(chunks * stride);
    float* partials = partials_.data();
    for_bands(chunks, 1, [&](std::size_t c0, std::size_t c1) {
      for (std::size_t c = c0; c < c1; ++c)
        partial(partials + c * stride, c * kReductionRows,
                std::min<std::size_t>(rows, (c + 1) * kReductionRows));
    });
    // The first partial accumulates the others, band by band of its values.
    for_bands(width, rows_per_band(chunks), [&](std::size_t j0, std::size_t j1) {
      for (std::size_t c = 1; c < chunks; ++c)
        for (std::size_t j = j0; j < j1; ++j) partials[j] += partials[c * stride + j];
      for (std::size_t j = j0; j < j1; ++j) finish(j, partials[j]);
    });
  }

  std::optional<tbb::global_control> oversubscribed_;
  tbb::task_arena arena_;
  AlignedVector<float> partials_;  // (chunks, width) of the latest sum over rows
};

}  // namespace

std::unique_ptr<Backend> make_tbb_backend() { return std::make_unique<TbbBackend>(); }

}  // namespace mnistbench
