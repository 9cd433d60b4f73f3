#include "tests/support/compare.h"

#include "common/train/random.h"
#include "common/checks/tolerances.h"

namespace mnistbench::test {

::testing::AssertionResult within_bounds(std::string_view what, std::span<const float> expected,
                                         std::span<const float> actual,
                                         std::span<const double> bound) {
  if (auto problem = worst_violation(what, expected, actual, bound))
    return ::testing::AssertionFailure() << *problem;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult all_close(std::string_view what, std::span<const float> expected,
                                     std::span<const float> actual, double relative,
                                     double absolute) {
  if (auto problem = worst_violation(what, expected, actual, relative, absolute))
    return ::testing::AssertionFailure() << *problem;
  return ::testing::AssertionSuccess();
}

AlignedVector<float> random_values(std::size_t n, std::uint64_t seed, float low, float high) {
  Random random(seed);
  AlignedVector<float> values(n);
  for (float& v : values) v = low + (high - low) * random.uniform();
  return values;
}

}  // namespace mnistbench::test
