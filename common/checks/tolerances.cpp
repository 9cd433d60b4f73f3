#include "common/checks/tolerances.h"

#include <cmath>
#include <sstream>

#include "common/model/precision.h"

namespace mnistbench {

std::optional<std::string> worst_violation(std::string_view what, std::span<const float> expected,
                                           std::span<const float> actual,
                                           std::span<const double> bound) {
  std::ostringstream out;
  out.precision(9);
  if (expected.size() != actual.size() || expected.size() != bound.size()) {
    out << what << ": " << actual.size() << " values, expected " << expected.size();
    return out.str();
  }
  std::size_t failures = 0, worst = 0;
  double worst_ratio = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double error = std::fabs(double(actual[i]) - double(expected[i]));
    if (!(error <= bound[i])) {  // also catches NaN
      ++failures;
      const double ratio = error / bound[i];
      if (!(ratio <= worst_ratio)) worst_ratio = ratio, worst = i;
    }
  }
  if (failures == 0) return std::nullopt;
  out << what << ": " << failures << " of " << expected.size()
      << " values out of tolerance; worst at " << worst << ": " << actual[worst] << " vs "
      << expected[worst] << " (bound " << bound[worst] << ")";
  return out.str();
}

std::optional<std::string> worst_violation(std::string_view what, std::span<const float> expected,
                                           std::span<const float> actual, double relative,
                                           double absolute) {
  std::vector<double> bound(expected.size());
  for (std::size_t i = 0; i < bound.size(); ++i)
    bound[i] = absolute + relative * std::fabs(double(expected[i]));
  return worst_violation(what, expected, actual, bound);
}

std::vector<double> matmul_bounds(Transpose trans_a, Transpose trans_b, int M, int N, int K,
                                  float alpha, const float* A, const float* B, float beta,
                                  const float* C0) {
  std::vector<double> bound(std::size_t(M) * N);
  for (int i = 0; i < M; ++i)
    for (int j = 0; j < N; ++j) {
      double magnitude = 0.0;
      for (int k = 0; k < K; ++k) {
        const float a = trans_a == Transpose::yes ? A[std::size_t(k) * M + i] : A[std::size_t(i) * K + k];
        const float b = trans_b == Transpose::yes ? B[std::size_t(j) * K + k] : B[std::size_t(k) * N + j];
        magnitude += std::fabs(double(a) * b);
      }
      const std::size_t at = std::size_t(i) * N + j;
      // beta == 0 ignores C0 entirely (it may be NaN), so it adds nothing.
      const double old = beta == 0.0f ? 0.0 : std::fabs(double(beta) * C0[at]);
      // K products plus the alpha and beta terms: K + 2 roundings at most.
      bound[at] = summation_bound(std::size_t(K) + 2, std::fabs(alpha) * magnitude + old);
    }
  return bound;
}

std::vector<double> bf16_matmul_bounds(Transpose trans_a, Transpose trans_b, int M, int N, int K,
                                       float alpha, const float* A, const float* B, float beta,
                                       const float* C0) {
  std::vector<double> bound = matmul_bounds(trans_a, trans_b, M, N, K, alpha, A, B, beta, C0);
  // matmul_bounds is 2·(K + 2)·u·(|alpha|·Σ|a·b| + |beta·c|) + 1e-30: scaling
  // it by 1 + 2^-8 / (2·(K + 2)·u) adds the rounding's 2^-8·|alpha|·Σ|a·b|,
  // and the same share of |beta·c|, a harmless over-count.
  const double ratio = kBf16Roundoff / (2.0 * double(K + 2) * kUnitRoundoff);
  for (double& b : bound) b += ratio * b;
  return bound;
}

std::vector<double> int8_forward_bounds(int M, int N, int K, float alpha, const float* X,
                                        const float* W1) {
  std::vector<double> bound =
      matmul_bounds(Transpose::no, Transpose::yes, M, N, K, alpha, X, W1, 0.0f, nullptr);
  for (int j = 0; j < N; ++j) {
    const double half_step = kInt8HalfStep * int8_row_scale(W1 + std::size_t(j) * K, K);
    for (int i = 0; i < M; ++i) {
      double inputs = 0.0;
      for (int k = 0; k < K; ++k) inputs += std::fabs(X[std::size_t(i) * K + k]);
      bound[std::size_t(i) * N + j] += std::fabs(alpha) * half_step * inputs;
    }
  }
  return bound;
}

std::vector<double> column_sums_bounds(const float* M, int rows, int cols, float scale) {
  std::vector<double> bound(cols);
  for (int j = 0; j < cols; ++j) {
    double magnitude = 0.0;
    for (int i = 0; i < rows; ++i) magnitude += std::fabs(M[std::size_t(i) * cols + j]);
    // rows additions and the scaling.
    bound[j] = summation_bound(std::size_t(rows) + 1, std::fabs(scale) * magnitude);
  }
  return bound;
}

}  // namespace mnistbench
