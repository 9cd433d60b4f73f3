// eigen: every op as an Eigen 3.4 expression over the common buffers. It
// demonstrates what a general-purpose expression-template library gives for
// free: Eigen::Map views the row-major buffers in place (no copies), the
// products go to Eigen's own blocked GEMM, and elementwise expressions are
// vectorised with whatever instruction set the compiler flags allow. This
// project builds for generic x86-64 and without OpenMP, so that is SSE2 on
// one thread: the baseline a library gets with no tuning at all.

#include <Eigen/Core>

#include <memory>
#include <string>

#include "common/model/backend.h"

namespace mnistbench {
namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixView = Eigen::Map<RowMajorMatrix>;
using ConstMatrixView = Eigen::Map<const RowMajorMatrix>;
using ArrayView = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayView = Eigen::Map<const Eigen::ArrayXf>;
using ConstRowView = Eigen::Map<const Eigen::RowVectorXf>;

// C = alpha · a · b + beta · C for any mix of plain and transposed views.
template <typename LhsExpr, typename RhsExpr>
void gemm(MatrixView c, const LhsExpr& a, const RhsExpr& b, float alpha, float beta) {
  // noalias(): C never overlaps A or B, so Eigen may write the product
  // straight into C instead of into a temporary. Plain assignment overwrites,
  // so a NaN already in C cannot leak through when beta == 0.
  if (beta == 0.0f) {
    c.noalias() = alpha * a * b;
    return;
  }
  if (beta != 1.0f) c *= beta;
  c.noalias() += alpha * a * b;
}

class EigenBackend final : public Backend {
 public:
  std::string_view name() const override { return "eigen"; }

  BackendInfo info() const override {
    // Eigen::nbThreads() is 1 unless Eigen is compiled with OpenMP, which
    // this build does not do, so no set_threads() override: there is nothing to set.
    return {"Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
                std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION) +
                " (no OpenMP: single-threaded)",
            Eigen::SimdInstructionSetsInUse(), Eigen::nbThreads()};
  }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    MatrixView c(C, M, N);
    // A is stored (M, K), or (K, M) when transposed; likewise B (K, N) or (N, K).
    const bool ta = trans_a == Transpose::yes, tb = trans_b == Transpose::yes;
    const ConstMatrixView a(A, ta ? K : M, ta ? M : K);
    const ConstMatrixView b(B, tb ? N : K, tb ? K : N);
    if (!ta && !tb) gemm(c, a, b, alpha, beta);
    else if (!ta && tb) gemm(c, a, b.transpose(), alpha, beta);
    else if (ta && !tb) gemm(c, a.transpose(), b, alpha, beta);
    else gemm(c, a.transpose(), b.transpose(), alpha, beta);
  }

  void add_bias(float* Z, const float* b, int rows, int cols) override {
    MatrixView(Z, rows, cols).rowwise() += ConstRowView(b, cols);
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    ArrayView(A, Eigen::Index(n)) = ConstArrayView(Z, Eigen::Index(n)).cwiseMax(0.0f);
  }

  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    const ConstArrayView z(Z, Eigen::Index(n));
    // Elementwise, so dZ may alias dA.
    ArrayView(dZ, Eigen::Index(n)) = (z > 0.0f).select(ConstArrayView(dA, Eigen::Index(n)), 0.0f);
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    const ConstMatrixView z(Z, rows, cols);
    MatrixView p(P, rows, cols);
    // Row by row rather than one whole-matrix expression: the row maxima and
    // sums would otherwise need a (rows) temporary, and ops do not allocate.
    for (int i = 0; i < rows; ++i) {
      // Subtracting the row's maximum keeps exp() from overflowing.
      p.row(i) = (z.row(i).array() - z.row(i).maxCoeff()).exp().matrix();
      p.row(i) /= p.row(i).sum();
    }
  }

  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    MatrixView dz(dZ, rows, cols);
    dz = ConstMatrixView(P, rows, cols);
    for (int i = 0; i < rows; ++i) dz(i, labels[i]) -= 1.0f;
  }

  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    Eigen::Map<Eigen::RowVectorXf>(out, cols) = scale * ConstMatrixView(M, rows, cols).colwise().sum();
  }

  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    ArrayView(params, Eigen::Index(n)) -= alpha * ConstArrayView(grads, Eigen::Index(n));
  }
};

}  // namespace

std::unique_ptr<Backend> make_eigen_backend() { return std::make_unique<EigenBackend>(); }

}  // namespace mnistbench
