// eigen: every op as an Eigen 3.4 expression over the common buffers
// (eigen_ops.h). It demonstrates what a general-purpose expression-template
// library gives for free, at its best on this CPU: eigen_ops.h is compiled
// once per instruction set (AVX-512, AVX2+FMA, the baseline's SSE2), and this
// file, built with the baseline flags, picks the best build the CPU runs, by
// the same rule and override (MNISTBENCH_SIMD) as simd (simd_path.h).
//
// Threads: the common executor, not Eigen's own. Eigen 3.4 parallelises only
// its GEMM, and only through OpenMP (-fopenmp, Eigen::setNbThreads); here
// each product is cut into bands of C fixed by its shape (rows where C has
// many, else columns), each band one single-threaded Eigen product, run on
// the executor, as are the elementwise ops. Measured on this project's
// 2-core machine, the two full-batch products of the tutorial's step on 2
// threads, bands against Eigen's OpenMP GEMM, each pair in one command, with
// the other engineers' builds running (load 5): X·W1ᵀ 23.9 ms against 45.6,
// dZ1ᵀ·X 21.5 against 823 (OpenMP's threads spin at the GEMM's barriers
// and collapse when another process holds a core); with
// OMP_WAIT_POLICY=passive, 13.9 against 19.2 and 14.4 against 14.9. On one
// thread the bands, run in turn, cost 15-40% more than one whole product
// (each band packs its operands again). The bands also give the same bits
// on any thread count (test_thread_invariance), which Eigen's OpenMP split,
// whose blocking follows the thread count, does not promise, and they keep a
// second OpenMP runtime (clang's libomp beside oneDNN's libgomp) out of the
// program.

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include "backends/eigen/eigen_kernels.h"
#include "backends/simd/simd_path.h"
#include "common/model/backend.h"
#include "common/platform/executor.h"

namespace mnistbench {
namespace {

// A product is cut into bands of C of this many rows when it has at least
// two of them (the forward products over a batch, C (m, units)), else into
// bands of kColumnBand columns (the weight gradients, C (units, inputs),
// whose long side is the sum over the batch). Fixed by the shape alone, never
// by the thread count; each band is large enough for Eigen's blocked GEMM to
// run at speed, and a full batch gives tens of them to balance the threads.
constexpr int kRowBand = 1024;
constexpr int kColumnBand = 64;

// Elements per band of the elementwise ops: a band costs far more than
// handing it to a thread (about a microsecond).
constexpr std::size_t kElementBand = std::size_t(1) << 17;

const eigen::Kernels& kernels_for(simd::SimdPath path) {
  switch (path) {
#if MNISTBENCH_SIMD_AVX_PATHS
    case simd::SimdPath::avx512: return eigen::kAvx512Kernels;
    case simd::SimdPath::avx2: return eigen::kAvx2Kernels;
#else
    case simd::SimdPath::avx512:
    case simd::SimdPath::avx2:  // never chosen: cpu_supports says no for them here
#endif
    case simd::SimdPath::scalar: break;
  }
  return eigen::kBaselineKernels;
}

class EigenBackend final : public Backend {
 public:
  EigenBackend()
      : kernels_(kernels_for(simd::choose_simd_path(std::getenv(simd::kSimdPathVariable)))) {}

  std::string_view name() const override { return "eigen"; }

  BackendInfo info() const override {
    return {std::string("Eigen ") + kernels_.version + " (products in bands on " +
                Executor::engine() + ")",
            kernels_.isa, executor_.threads()};
  }

  void set_threads(int requested) override { executor_.set_threads(requested); }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    const bool ta = trans_a == Transpose::yes, tb = trans_b == Transpose::yes;
    // Row strides of A and B as stored: (M, K) or (K, M); (K, N) or (N, K).
    const int lda = ta ? M : K, ldb = tb ? K : N;
    if (M >= 2 * kRowBand) {
      // Rows [i0, i1) of C need rows [i0, i1) of op(A): rows of A, or its columns when transposed.
      executor_.for_each_band(M, kRowBand, [&](std::size_t i0, std::size_t i1) {
        kernels_.matmul(ta, tb, int(i1 - i0), N, K, alpha, A + (ta ? i0 : i0 * lda), lda, B, ldb,
                        beta, C + i0 * N, N);
      });
      return;
    }
    // Columns [j0, j1) of C need those of op(B): columns of B, or its rows when transposed.
    executor_.for_each_band(N, kColumnBand, [&](std::size_t j0, std::size_t j1) {
      kernels_.matmul(ta, tb, M, int(j1 - j0), K, alpha, A, lda, B + (tb ? j0 * ldb : j0), ldb,
                      beta, C + j0, N);
    });
  }

  void add_bias(float* Z, const float* b, int rows, int cols) override {
    executor_.for_each_band(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      kernels_.add_bias(Z + i0 * cols, b, int(i1 - i0), cols);
    });
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    executor_.for_each_band(n, kElementBand, [&](std::size_t i0, std::size_t i1) {
      kernels_.relu_forward(A + i0, Z + i0, i1 - i0);
    });
  }

  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    executor_.for_each_band(n, kElementBand, [&](std::size_t i0, std::size_t i1) {
      kernels_.relu_backward(dZ + i0, dA + i0, Z + i0, i1 - i0);
    });
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    executor_.for_each_band(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      kernels_.softmax_rows(P + i0 * cols, Z + i0 * cols, int(i1 - i0), cols);
    });
  }

  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    executor_.for_each_band(rows, rows_per_band(cols), [&](std::size_t i0, std::size_t i1) {
      kernels_.softmax_cross_entropy_backward(dZ + i0 * cols, P + i0 * cols, labels + i0,
                                              int(i1 - i0), cols);
    });
  }

  // One pass over M on the calling thread: a few megabytes at most (the
  // bias gradients, (m, units)), under a percent of a step.
  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    kernels_.column_sums(out, M, rows, cols, scale);
  }

  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    executor_.for_each_band(n, kElementBand, [&](std::size_t i0, std::size_t i1) {
      kernels_.sgd_update(params + i0, grads + i0, i1 - i0, alpha);
    });
  }

 private:
  static std::size_t rows_per_band(int cols) {
    return std::max<std::size_t>(1, kElementBand / std::size_t(std::max(1, cols)));
  }

  const eigen::Kernels& kernels_;
  Executor executor_;
};

}  // namespace

std::unique_ptr<Backend> make_eigen_backend() { return std::make_unique<EigenBackend>(); }

}  // namespace mnistbench
