#pragma once
// The eigen backend's ops as Eigen 3.4 expressions over the common buffers,
// written once and compiled once per instruction set: eigen_avx512.cpp,
// eigen_avx2.cpp and eigen_baseline.cpp each include this file with their
// own flags and fill their Kernels table from it.
//
// Eigen is a header library of inline templates: compiled in three files
// with three sets of flags, its functions would be emitted by each, under the
// same names, and the linker would keep any one copy for all three, perhaps
// the AVX-512 one for the baseline path. So each file renames Eigen's
// namespace (#define Eigen ... before including this file), which gives its
// copy names of its own, and everything here is in an anonymous namespace.
//
// Eigen::Map views the row-major buffers in place (no copies); the products
// go to Eigen's own blocked GEMM; elementwise expressions are vectorised with
// whatever the file's flags allow.

#ifndef Eigen
#error "define Eigen as this file's own namespace name before including eigen_ops.h"
#endif

#include <Eigen/Core>

#include "backends/eigen/eigen_kernels.h"

namespace mnistbench::eigen {
namespace {

using RowMajorMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Strided = Eigen::OuterStride<>;
using StridedView = Eigen::Map<RowMajorMatrix, Eigen::Unaligned, Strided>;
using ConstStridedView = Eigen::Map<const RowMajorMatrix, Eigen::Unaligned, Strided>;
using MatrixView = Eigen::Map<RowMajorMatrix>;
using ConstMatrixView = Eigen::Map<const RowMajorMatrix>;
using ArrayView = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayView = Eigen::Map<const Eigen::ArrayXf>;
using ConstRowView = Eigen::Map<const Eigen::RowVectorXf>;

// C = alpha · a · b + beta · C for any mix of plain and transposed views.
template <typename LhsExpr, typename RhsExpr>
void gemm(StridedView c, const LhsExpr& a, const RhsExpr& b, float alpha, float beta) {
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

void matmul(bool ta, bool tb, int M, int N, int K, float alpha, const float* A, int lda,
            const float* B, int ldb, float beta, float* C, int ldc) {
  StridedView c(C, M, N, Strided(ldc));
  const ConstStridedView a(A, ta ? K : M, ta ? M : K, Strided(lda));
  const ConstStridedView b(B, tb ? N : K, tb ? K : N, Strided(ldb));
  if (!ta && !tb) gemm(c, a, b, alpha, beta);
  else if (!ta && tb) gemm(c, a, b.transpose(), alpha, beta);
  else if (ta && !tb) gemm(c, a.transpose(), b, alpha, beta);
  else gemm(c, a.transpose(), b.transpose(), alpha, beta);
}

void add_bias(float* Z, const float* b, int rows, int cols) {
  MatrixView(Z, rows, cols).rowwise() += ConstRowView(b, cols);
}

void relu_forward(float* A, const float* Z, std::size_t n) {
  ArrayView(A, Eigen::Index(n)) = ConstArrayView(Z, Eigen::Index(n)).cwiseMax(0.0f);
}

void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) {
  const ConstArrayView z(Z, Eigen::Index(n));
  // Elementwise, so dZ may alias dA.
  ArrayView(dZ, Eigen::Index(n)) = (z > 0.0f).select(ConstArrayView(dA, Eigen::Index(n)), 0.0f);
}

void softmax_rows(float* P, const float* Z, int rows, int cols) {
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
                                    int rows, int cols) {
  MatrixView dz(dZ, rows, cols);
  dz = ConstMatrixView(P, rows, cols);
  for (int i = 0; i < rows; ++i) dz(i, labels[i]) -= 1.0f;
}

void column_sums(float* out, const float* M, int rows, int cols, float scale) {
  Eigen::Map<Eigen::RowVectorXf>(out, cols) = scale * ConstMatrixView(M, rows, cols).colwise().sum();
}

void sgd_update(float* params, const float* grads, std::size_t n, float alpha) {
  ArrayView(params, Eigen::Index(n)) -= alpha * ConstArrayView(grads, Eigen::Index(n));
}

constexpr Kernels make_kernels(const char* isa) {
  return {isa,
          EIGEN_MAKESTRING(EIGEN_WORLD_VERSION) "." EIGEN_MAKESTRING(EIGEN_MAJOR_VERSION) "." EIGEN_MAKESTRING(EIGEN_MINOR_VERSION),
          &matmul,
          &add_bias,     &relu_forward,     &relu_backward,
          &softmax_rows, &softmax_cross_entropy_backward,
          &column_sums,  &sgd_update};
}

}  // namespace
}  // namespace mnistbench::eigen
