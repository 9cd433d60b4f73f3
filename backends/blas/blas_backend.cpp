// blas: the products through OpenBLAS's cblas_sgemm, everything else as the
// shared plain loops (backends/loop_ops.h). It demonstrates how much of the
// training step is GEMM: a tuned, threaded BLAS takes the products, and the
// elementwise ops are too cheap to be worth a library call. OpenBLAS picks its
// kernel (its "core") at load time from the CPU, or from OPENBLAS_CORETYPE
// when set; we never set it, and info() reports the core that actually runs.

#include <cblas.h>

#include <memory>
#include <string>

#include "backends/loop_ops.h"
#include "common/platform/errors.h"

namespace mnistbench {
namespace {

// The instruction set of OpenBLAS's single-precision kernels for the x86
// cores it may choose. Cooperlake's BF16 kernels serve only sbgemm; its sgemm
// is SkylakeX's AVX-512 one.
std::string kernel_isa(const std::string& core) {
  if (core == "Cooperlake" || core == "SkylakeX") return "AVX-512";
  if (core == "Haswell" || core == "Zen") return "AVX2 + FMA";
  if (core == "Sandybridge") return "AVX";
  if (core == "Prescott" || core == "Nehalem" || core == "Core2") return "SSE3";
  return "OpenBLAS core " + core;
}

CBLAS_TRANSPOSE to_cblas(Transpose t) { return t == Transpose::yes ? CblasTrans : CblasNoTrans; }

class BlasBackend final : public LoopOpsBackend {
 public:
  std::string_view name() const override { return "blas"; }

  BackendInfo info() const override {
    // The loaded library's own words, not our header's: openblas_get_config()
    // reads "OpenBLAS 0.3.21 DYNAMIC_ARCH ... MAX_THREADS=64", version first.
    const std::string config = openblas_get_config();
    const std::size_t version_end = config.find(' ', config.find(' ') + 1);
    const std::string options = version_end == std::string::npos ? "" : config.substr(version_end + 1);
    const std::string core = openblas_get_corename();
    return {config.substr(0, version_end) + " (config: " + options + ", core: " + core + ")",
            kernel_isa(core), openblas_get_num_threads()};
  }

  // OpenBLAS quietly keeps its count for a request below 1 and caps one above
  // its build's MAX_THREADS, so the count it really took is checked. A
  // sequential build has no threads to set and keeps reporting 1.
  void set_threads(int requested) override {
    if (openblas_get_parallel() == 0) return;
    openblas_set_num_threads(requested);
    const int running = openblas_get_num_threads();
    if (running != requested)
      throw UsageError("--threads: " + std::to_string(requested) +
                       " is outside what OpenBLAS can run (1 to its build's MAX_THREADS; it runs " +
                       std::to_string(running) + ")");
  }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    // Row-major leading dimensions are the stored row lengths: A is (M, K)
    // or (K, M) when transposed, B is (K, N) or (N, K). OpenBLAS zeroes C
    // itself when beta == 0, so old NaNs in C do not survive.
    const int lda = trans_a == Transpose::yes ? M : K;
    const int ldb = trans_b == Transpose::yes ? K : N;
    cblas_sgemm(CblasRowMajor, to_cblas(trans_a), to_cblas(trans_b), M, N, K, alpha, A, lda, B,
                ldb, beta, C, N);
  }
};

}  // namespace

std::unique_ptr<Backend> make_blas_backend() { return std::make_unique<BlasBackend>(); }

}  // namespace mnistbench
