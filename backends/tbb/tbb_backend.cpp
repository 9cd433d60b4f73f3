// tbb: the op table on the common executor (common/platform/executor.h: oneTBB
// underneath; its std::thread pool only in a build configured without oneTBB,
// as the ThreadSanitizer build is, which `list` then shows). Each op splits
// its rows into bands whose boundaries depend on the problem size alone and
// runs one loop per band; the same loop serves a band of one row or of all of
// them. Sums over samples give each fixed chunk of samples its own partial
// and add the partials in chunk order. So 1, 2 or 16 threads give the same
// bits: the thread count only changes which thread runs which band, never
// what a band computes or the order of any addition. Every op is its own
// parallel call, so any layer list runs through the default step.
//
// The loops (tbb_loops.h) are compiled once per instruction set (AVX-512,
// AVX2+FMA, the baseline's SSE2); this file, built with the baseline flags,
// picks the best build the CPU runs, by the same rule and override
// (MNISTBENCH_SIMD) as simd (simd_path.h).

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "backends/simd/simd_path.h"
#include "backends/tbb/tbb_loops_table.h"
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

// The loops for a path: the AVX builds exist only where the compiler targets x86-64.
const tbb_loops::Loops& loops_for(simd::SimdPath path) {
  switch (path) {
#if MNISTBENCH_SIMD_AVX_PATHS
    case simd::SimdPath::avx512: return tbb_loops::kAvx512Loops;
    case simd::SimdPath::avx2: return tbb_loops::kAvx2Loops;
#else
    case simd::SimdPath::avx512:
    case simd::SimdPath::avx2:  // never chosen: cpu_supports says no for them here
#endif
    case simd::SimdPath::scalar: break;
  }
  return tbb_loops::kBaselineLoops;
}

std::size_t rows_per_band(std::size_t work_per_row) {
  return std::max<std::size_t>(1, kBandWork / std::max<std::size_t>(1, work_per_row));
}

class TbbBackend final : public Backend {
 public:
  TbbBackend() : loops_(loops_for(simd::choose_simd_path(std::getenv(simd::kSimdPathVariable)))) {}

  std::string_view name() const override { return "tbb"; }
  BackendInfo info() const override {
    return {Executor::engine(), loops_.isa, executor_.threads()};
  }

  // The executor checks the count and throws UsageError naming --threads.
  void set_threads(int requested) override { executor_.set_threads(requested); }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    if (trans_a == Transpose::no) {
      const auto kernel = trans_b == Transpose::yes ? loops_.matmul_nt_rows : loops_.matmul_nn_rows;
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
            loops_.matmul_tt_partial(partial, A, B, M, N, K, k0, k1);
          else
            loops_.matmul_tn_partial(partial, A, B, M, N, k0, k1);
        },
        [&](std::size_t at, float sum) {
          // With beta == 0, C's old value is never read: it may be NaN.
          C[at] = beta == 0.0f ? alpha * sum : alpha * sum + beta * C[at];
        });
  }

  void add_bias(float* Z, const float* b, int rows, int cols) override {
    executor_.for_each_band(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      loops_.add_bias_rows(Z, b, cols, i0, i1);
    });
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    executor_.for_each_band(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      loops_.relu_forward(A, Z, i0, i1);
    });
  }

  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    executor_.for_each_band(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      loops_.relu_backward(dZ, dA, Z, i0, i1);
    });
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    // exp() costs tens of operations, so a row is worth more than cols
    // elements. The libm exp() does not vectorise, so this is the one loop
    // not built per instruction set.
    executor_.for_each_band(rows, rows_per_band(std::size_t(cols) * 16),
                            [&](std::size_t i0, std::size_t i1) {
                              for (std::size_t i = i0; i < i1; ++i)
                                softmax_row(P + i * cols, Z + i * cols, cols);
                            });
  }

  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    executor_.for_each_band(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      loops_.cross_entropy_rows(dZ, P, labels, cols, i0, i1);
    });
  }

  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    sum_over_rows(
        rows, cols,
        [&](float* partial, std::size_t i0, std::size_t i1) {
          loops_.column_partial(partial, M, cols, i0, i1);
        },
        [&](std::size_t j, float sum) { out[j] = scale * sum; });
  }

  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    executor_.for_each_band(n, kBandWork, [&](std::size_t i0, std::size_t i1) {
      loops_.sgd_update(params, grads, alpha, i0, i1);
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

  const tbb_loops::Loops& loops_;
  Executor executor_;
  AlignedVector<float> partials_;             // (chunks + 1, width) of the latest sum over rows
  std::vector<const float*> partial_views_;   // each chunk's partial in partials_, in chunk order
};

}  // namespace

std::unique_ptr<Backend> make_tbb_backend() { return std::make_unique<TbbBackend>(); }

}  // namespace mnistbench
