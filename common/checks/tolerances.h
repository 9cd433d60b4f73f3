#pragma once
// Every tolerance a backend is held to against naive, the reference, in one
// place, each with its reason, and the check that applies them. The tests
// (tests/support/) and the benchmarks (bench/) both use these, so a benchmark
// only times what the tests would accept.
//
// Backends are compared with naive; both compute in float (unit roundoff
// u = 2^-24), but may add in different orders and with FMA.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/backend.h"

namespace mnistbench {

inline constexpr double kUnitRoundoff = 0x1p-24;

// A sum of n products in float, in any order, with or without FMA, is within
// n·u·Σ|terms| of the exact sum (Higham, Accuracy and Stability, §3.1). Two
// such sums (backend and naive) differ by at most twice that. Bugs (a wrong
// index, a missed transpose, a lost tail) are off by O(Σ|terms|), far beyond it.
inline double summation_bound(std::size_t n, double sum_of_magnitudes) {
  return 2.0 * double(n) * kUnitRoundoff * sum_of_magnitudes + 1e-30;
}

// Elementwise ops (bias add, ReLU, one-hot difference, the update) are one or
// two roundings: x - a·g may be fused into an FMA or not, so allow 2 ulps of
// the operands' size.
inline constexpr double kElementwiseRelative = 2.0 * 0x1p-23;

// The update adds alpha·g to values that may be near 0, where 2 ulps of the
// value is less than the rounding of alpha·g itself; 1e-8 covers that for the
// gradients of this network (|g| < 1).
inline constexpr double kUpdateAbsolute = 1e-8;

// softmax: a vectorised exp may be a polynomial good to a few ulps rather than
// libm's correctly-rounded-in-practice one, and the row sum adds 10 of them:
// 1e-6 absolute on a probability is ~16 ulps of 1, loose enough for that and
// far tighter than any real error (a wrong max or sum is off by > 1e-2).
inline constexpr double kSoftmaxAbsolute = 1e-6;

// After one training step the parameters carry the error of dW1 (a sum over
// the batch) times alpha, on top of values of size ~0.5: relative 1e-5 is the
// float summation bound for batches up to a few thousand, and a real bug moves
// some weight by alpha·|dW| ≫ that.
inline constexpr double kStepRelative = 1e-5;
inline constexpr double kStepAbsolute = 1e-6;

// The probabilities of a whole forward pass: the logits carry the summation
// error of 784 products (about 1e-6 absolute at these sizes), which softmax
// passes on at most unchanged, plus kSoftmaxAbsolute of its own.
inline constexpr double kForwardProbabilityAbsolute = 1e-5;

// Training curves: 20 full-batch steps amplify the per-step differences above;
// the loss is compared relative to naive's.
inline constexpr double kCurveLossRelative = 1e-4;

// Empty when every |actual[i] - expected[i]| <= bound[i]; else one line: how
// many values are out, and the worst of them (NaN counts as out).
std::optional<std::string> worst_violation(std::string_view what, std::span<const float> expected,
                                           std::span<const float> actual,
                                           std::span<const double> bound);

// The same with bound[i] = absolute + relative·|expected[i]|.
std::optional<std::string> worst_violation(std::string_view what, std::span<const float> expected,
                                           std::span<const float> actual, double relative,
                                           double absolute);

// The bound for each element of C = alpha·op(A)·op(B) + beta·C0 (the
// arguments of Backend::matmul, with C0 the old C): the summation error of its
// K products and the beta term.
std::vector<double> matmul_bounds(Transpose trans_a, Transpose trans_b, int M, int N, int K,
                                  float alpha, const float* A, const float* B, float beta,
                                  const float* C0);

// The bound for each of the cols sums of Backend::column_sums over M (rows, cols).
std::vector<double> column_sums_bounds(const float* M, int rows, int cols, float scale);

}  // namespace mnistbench
