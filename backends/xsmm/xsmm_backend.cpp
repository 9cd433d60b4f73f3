// xsmm: libxsmm, the JIT library for small matrix products, for the products;
// everything else as the shared plain loops (backends/loop_ops.h). libxsmm
// generates one kernel per (m, n, k, leading dimensions, beta) for the
// instruction set the CPU has, on first use, and caches it. Its kernels are
// register-blocked products with no cache blocking or packing, made for
// operands that sit in the first caches: libxsmm's own dispatch of a whole
// GEMM hands anything above 64x64x64 (LIBXSMM_MAX_MNK in Debian's build) to
// the BLAS instead.
//
// So a product of any size is composed here from those kernels: C is cut into
// 64x64 tiles, and each tile adds up its 64-deep slices of the sum over k,
// in order, with one JIT kernel per slice into a tile-sized accumulator on
// the stack, then stores alpha·tile + beta·C (the JIT kernels take alpha = 1
// and beta 0 or 1 only). The tiles run on the common executor: each writes
// its own part of C and sums in the same order on any thread, so 1, 2 or 16
// threads give the same bits. Every kernel a product needs is dispatched when
// its shape is first seen, on the calling thread, so the tiles only call
// function pointers.
//
// The kernels read plain (not transposed) column-major operands. Row-major C
// = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, where a plain row-major
// operand is already a plain column-major one; a transposed operand (W in the
// forward product, dZ in the weight gradient: the small ones) is copied into
// its plain layout once per call.

#include <libxsmm.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>

#include "backends/loop_ops.h"
#include "common/platform/aligned.h"
#include "common/platform/executor.h"

namespace mnistbench {
namespace {

// The tile of C and the depth of one kernel call: the largest product
// libxsmm takes on itself (64³ = LIBXSMM_MAX_MNK), so that each call does the
// most work while its two 64x64 slices (32 KB) stay in the first caches.
constexpr int kTile = 64;

// The instruction set of the kernels libxsmm generates here.
std::string kernel_isa(int arch) {
  if (arch >= LIBXSMM_X86_AVX512) return "AVX-512";
  if (arch >= LIBXSMM_X86_AVX2) return "AVX2+FMA";
  if (arch >= LIBXSMM_X86_AVX) return "AVX";
  if (arch >= LIBXSMM_X86_SSE3) return "SSE3";
  return "scalar (no JIT)";
}

// dst (rows, cols) = src stored transposed, (cols, rows).
void transpose_into(float* dst, const float* src, int rows, int cols) {
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < rows; ++r) dst[std::size_t(r) * cols + c] = src[std::size_t(c) * rows + r];
}

// The JIT kernels of one product shape: for each tile of C (full or the
// edge, along either side), each slice of k (full or the last) and beta (0
// for the first slice, 1 after).
class ProductKernels {
 public:
  // Row-major C (M, N) = A (M, K) · B (K, N), plain operands.
  ProductKernels(int M, int N, int K) {
    for (int edge_m = 0; edge_m < 2; ++edge_m)
      for (int edge_n = 0; edge_n < 2; ++edge_n)
        for (int edge_k = 0; edge_k < 2; ++edge_k)
          for (int beta = 0; beta < 2; ++beta) {
            const int tm = size(M, edge_m), tn = size(N, edge_n), tk = size(K, edge_k);
            if (tm == 0 || tn == 0 || tk == 0 || (beta == 1 && K <= kTile)) continue;
            // Column-major: the tile (tn, tm) = B slice (tn, tk) · A slice (tk, tm).
            const libxsmm_blasint lda = N, ldb = K, ldc = kTile;
            const float one = 1.0f, b = float(beta);
            const int flags = beta == 0 ? LIBXSMM_GEMM_FLAG_BETA_0 : LIBXSMM_GEMM_FLAG_NONE;
            // No prefetch: a prefetching kernel takes three more pointers per call.
            const int prefetch = LIBXSMM_GEMM_PREFETCH_NONE;
            kernels_[index(edge_m, edge_n, edge_k, beta)] =
                libxsmm_smmdispatch(tn, tm, tk, &lda, &ldb, &ldc, &one, &b, &flags, &prefetch);
            if (kernels_[index(edge_m, edge_n, edge_k, beta)] == nullptr)
              throw std::runtime_error("xsmm: libxsmm made no kernel for a " + std::to_string(tn) +
                                       "x" + std::to_string(tm) + "x" + std::to_string(tk) +
                                       " product (no JIT for this CPU?)");
          }
  }

  // The kernel for a tile of tm (<= kTile) rows and tn columns, a slice of
  // tk, with beta 0 (first slice) or 1.
  libxsmm_smmfunction get(int tm, int tn, int tk, bool first) const {
    return kernels_[index(tm < kTile, tn < kTile, tk < kTile, first ? 0 : 1)];
  }

 private:
  // A full tile, or the edge's width (0: there is no edge).
  static int size(int extent, int edge) { return edge ? extent % kTile : std::min(extent, kTile); }
  static int index(int edge_m, int edge_n, int edge_k, int beta) {
    return ((edge_m * 2 + edge_n) * 2 + edge_k) * 2 + beta;
  }

  std::array<libxsmm_smmfunction, 16> kernels_{};
};

class XsmmBackend final : public LoopOpsBackend {
 public:
  XsmmBackend() { libxsmm_init(); }

  std::string_view name() const override { return "xsmm"; }

  BackendInfo info() const override {
    return {std::string("libxsmm ") + LIBXSMM_VERSION + " (JIT for " + libxsmm_get_target_arch() +
                ", " + std::to_string(kTile) + "x" + std::to_string(kTile) + " tiles on " +
                Executor::engine() + ")",
            kernel_isa(libxsmm_get_target_archid()), executor_.threads()};
  }

  void set_threads(int requested) override { executor_.set_threads(requested); }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    if (trans_a == Transpose::yes) {
      plain_a_.resize(std::size_t(M) * K);
      transpose_into(plain_a_.data(), A, M, K);
      A = plain_a_.data();
    }
    if (trans_b == Transpose::yes) {
      plain_b_.resize(std::size_t(K) * N);
      transpose_into(plain_b_.data(), B, K, N);
      B = plain_b_.data();
    }
    const ProductKernels& kernels = kernels_for(M, N, K);
    const int tiles_n = (N + kTile - 1) / kTile;
    const int tiles = (M + kTile - 1) / kTile * tiles_n;
    executor_.for_each_tile(tiles, [&](int t) {
      const int i0 = t / tiles_n * kTile, j0 = t % tiles_n * kTile;
      const int tm = std::min(kTile, M - i0), tn = std::min(kTile, N - j0);
      // Column-major (tn, tm), leading dimension kTile: row i of C's tile at i·kTile.
      alignas(64) float tile[kTile * kTile];
      for (int k0 = 0; k0 < K; k0 += kTile) {
        const int tk = std::min(kTile, K - k0);
        kernels.get(tm, tn, tk, k0 == 0)(B + std::size_t(k0) * N + j0,
                                          A + std::size_t(i0) * K + k0, tile);
      }
      for (int i = 0; i < tm; ++i) {
        float* c = C + std::size_t(i0 + i) * N + j0;
        const float* sum = tile + i * kTile;
        if (beta == 0.0f)
          for (int j = 0; j < tn; ++j) c[j] = alpha * sum[j];
        else
          for (int j = 0; j < tn; ++j) c[j] = alpha * sum[j] + beta * c[j];
      }
    });
  }

 private:
  const ProductKernels& kernels_for(int M, int N, int K) {
    auto at = kernels_.find({M, N, K});
    if (at == kernels_.end()) at = kernels_.try_emplace({M, N, K}, M, N, K).first;
    return at->second;
  }

  Executor executor_;
  std::map<std::tuple<int, int, int>, ProductKernels> kernels_;  // by plain product shape
  AlignedVector<float> plain_a_, plain_b_;  // transposed operands, copied plain
};

}  // namespace

std::unique_ptr<Backend> make_xsmm_backend() { return std::make_unique<XsmmBackend>(); }

}  // namespace mnistbench
