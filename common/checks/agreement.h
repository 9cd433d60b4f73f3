#pragma once
// When does a backend "reach the same result" as naive? The limits `compare`
// enforces, with their reasons.

#include <optional>
#include <string>

#include "common/train/run.h"

namespace mnistbench {

// Float sums in another order differ by ~1e-7 relative per step; over 500
// full-batch steps they stay below ~1e-5 in the final loss in practice. 1e-3
// leaves room for a backend that reads the pixels as bytes and scales later,
// and still catches any wrong op, which moves the loss by whole percent.
inline constexpr double kFinalLossRelative = 1e-3;

// 0.2 percentage points is 20 of the 10,000 test images: a few images near a
// decision boundary may flip between two correct implementations, a bug flips many.
inline constexpr double kTestAccuracyPoints = 0.2;

// Empty when candidate agrees with reference; else one line naming the
// figure. A run that diverged never agrees, whichever it is.
std::optional<std::string> disagreement(const RunSummary& reference, const RunSummary& candidate);

}  // namespace mnistbench
