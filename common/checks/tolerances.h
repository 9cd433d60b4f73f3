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

// ---- Lower precisions (--precision; common/model/precision.h) ----
// Each low-precision product is held to naive's float32 product of the same
// operands. Only one operand is lowered (the input's bytes 0-255 are exact in
// both bf16 and uint8), and the sums are float32 (bf16) or exact int32
// (int8), so the difference is the lowering's error carried through the sum
// plus float32's own summation bound (matmul_bounds).

// bf16 keeps 8 significant bits (7 stored): rounding to nearest moves a value
// by at most half an ulp, which is 2^-9 of the power of two below it and so
// up to 2^-8 of the value itself (just above a power of two; the unit
// roundoff of an 8-bit significand, as 2^-24 is float's). Each product
// x·bf16(w) is then within 2^-8·|x·w| of x·w, and a sum of them within
// 2^-8·Σ|x·w| of the exact one. A wrong index or a lost tail is off by
// O(Σ|x·w|), 256 times more.
inline constexpr double kBf16Roundoff = 0x1p-8;

// int8 with one scale per row of W1, s = max|w| / 127: the quantised weight
// q·s is within half a step, s/2, of w, so a row's product with inputs x is
// within (s/2)·Σ|x| of the float32 one (the int32 sum itself is exact). That
// is up to 1/254 of max|w|·Σ|x|: the coarsest of the three, and still a
// hundred times below what a wrong row or a dropped block moves.
inline constexpr double kInt8HalfStep = 0.5;

// The bound for each element of matmul (the arguments of Backend::matmul)
// with one operand rounded to bf16: matmul_bounds plus 2^-8 of |alpha|·Σ|a·b|.
std::vector<double> bf16_matmul_bounds(Transpose trans_a, Transpose trans_b, int M, int N, int K,
                                       float alpha, const float* A, const float* B, float beta,
                                       const float* C0);

// The bound for each element of Z1 (M, N) = alpha · X (M, K) · W1ᵀ with W1
// (N, K) quantised to int8 per row: matmul_bounds plus |alpha|·(s/2)·Σ|x|.
std::vector<double> int8_forward_bounds(int M, int N, int K, float alpha, const float* X,
                                        const float* W1);

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
