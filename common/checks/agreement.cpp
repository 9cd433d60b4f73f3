#include "common/checks/agreement.h"

#include <cmath>

#include <fmt/core.h>

namespace mnistbench {

std::optional<std::string> disagreement(const RunSummary& reference, const RunSummary& candidate) {
  if (candidate.diverged_at_step)
    return fmt::format("{}: training diverged at step {} (the loss is not a number)", candidate.backend,
                       *candidate.diverged_at_step);
  const double loss_difference =
      std::fabs(candidate.final_loss - reference.final_loss) / std::fabs(reference.final_loss);
  if (!(loss_difference <= kFinalLossRelative))
    return fmt::format("{}: final loss {:.6f} differs from {}'s {:.6f} by {:.2e} relative (limit {:.0e})",
                       candidate.backend, candidate.final_loss, reference.backend,
                       reference.final_loss, loss_difference, kFinalLossRelative);
  if (reference.test_accuracy && candidate.test_accuracy) {
    const double points = std::fabs(*candidate.test_accuracy - *reference.test_accuracy) * 100;
    if (!(points <= kTestAccuracyPoints))
      return fmt::format("{}: test accuracy {:.2f}% differs from {}'s {:.2f}% by {:.2f} points (limit {})",
                         candidate.backend, *candidate.test_accuracy * 100, reference.backend,
                         *reference.test_accuracy * 100, points, kTestAccuracyPoints);
  }
  return std::nullopt;
}

}  // namespace mnistbench
