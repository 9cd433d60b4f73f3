#pragma once
// The tolerances a backend is held to against naive live in
// common/checks/tolerances.h, each with its reason, so the benchmarks check with the
// same ones. The few below are the tests' own: checks no benchmark makes.

#include "common/checks/tolerances.h"

namespace mnistbench::test {

// A gradient view (one dW(l) or db(l)) of a backend against naive's, as a
// fraction of that view's largest |value| in naive. Each element is a mean
// over the batch whose inputs carry the forward pass's rounding (logits
// ~1e-6 relative, kForwardProbabilityAbsolute on the probabilities); relative
// to the view's size that is ~1e-6 at these batch sizes. A real bug (a wrong
// index, a missed transpose, a lost tail tile, a dropped 1/M) moves some
// element by a sizeable fraction of the view, far beyond 1e-4. Measured
// worst on eigen, blas and tbb over the checked networks: 1.5e-6 (blas, W1,
// batch 1000).
inline constexpr double kGradientViewRelative = 1e-4;

// The step split: the gradients of two halves of a batch, each scaled by
// 1/M and added, against the whole batch's. Both are the same sums in
// another grouping, so they differ by the summation bound of M products per
// element (2·M·u relative to the view's magnitudes, ~1e-4 for M = 1000 in
// the worst case, ~1e-6 in practice as the roundings do not all line up).
// Measured as a fraction of the view's largest |value|, like the above;
// measured worst on eigen, blas and tbb: under 1.5e-6.
inline constexpr double kHalvesViewRelative = 1e-4;

// A few training steps on a backend against naive, parameters after the last
// step: each step adds alpha times a gradient that differs from naive's by
// up to kGradientViewRelative of its size, and later steps see the earlier
// differences, so three steps get three times kStepRelative/kStepAbsolute.
inline constexpr int kFewSteps = 3;
inline constexpr double kFewStepsRelative = kFewSteps * kStepRelative;
inline constexpr double kFewStepsAbsolute = kFewSteps * kStepAbsolute;

// Central finite differences of naive's float loss against its analytic
// gradient (test_gradients). eps = 1e-3: the quotient carries the loss's
// rounding (~1e-7, from float probabilities) divided by 2·eps, ~5e-5, and a
// truncation error O(eps² · third derivative) far below that. eps must also
// stay short of every ReLU's kink: a pre-activation within eps of zero makes
// the quotient straddle it (at eps = 1e-2 the 12,6,5,10 case has one at
// -0.005, and the check then fails on a correct gradient). 1e-3 absolute
// plus 1% of the value is well clear of the rounding, and a wrong formula (a
// missed transpose, a dropped 1/m, a ReLU mask from the wrong layer) is off
// by far more.
inline constexpr float kFiniteDifferenceStep = 1e-3f;
inline constexpr double kFiniteDifferenceAbsolute = 1e-3;
inline constexpr double kFiniteDifferenceRelative = 1e-2;

}  // namespace mnistbench::test
