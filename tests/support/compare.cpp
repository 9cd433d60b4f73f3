#include "tests/support/compare.h"

#include <cmath>
#include <sstream>

#include "common/random.h"

namespace mnistbench::test {

::testing::AssertionResult within_bounds(std::string_view what, std::span<const float> expected,
                                         std::span<const float> actual,
                                         std::span<const double> bound) {
  if (expected.size() != actual.size())
    return ::testing::AssertionFailure() << what << ": size " << actual.size() << ", expected "
                                         << expected.size();
  std::size_t failures = 0, worst = 0;
  double worst_ratio = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double error = std::fabs(double(actual[i]) - double(expected[i]));
    const double ratio = error / bound[i];
    if (!(error <= bound[i])) {  // also catches NaN
      ++failures;
      if (!(ratio <= worst_ratio)) worst_ratio = ratio, worst = i;
    }
  }
  if (failures == 0) return ::testing::AssertionSuccess();
  std::ostringstream out;
  out.precision(9);
  out << what << ": " << failures << " of " << expected.size()
      << " values out of tolerance; worst at " << worst << ": " << actual[worst] << " vs "
      << expected[worst] << " (bound " << bound[worst] << ")";
  return ::testing::AssertionFailure() << out.str();
}

::testing::AssertionResult all_close(std::string_view what, std::span<const float> expected,
                                     std::span<const float> actual, double relative,
                                     double absolute) {
  std::vector<double> bound(expected.size());
  for (std::size_t i = 0; i < bound.size(); ++i)
    bound[i] = absolute + relative * std::fabs(double(expected[i]));
  return within_bounds(what, expected, actual, bound);
}

AlignedVector<float> random_values(std::size_t n, std::uint64_t seed, float low, float high) {
  Random random(seed);
  AlignedVector<float> values(n);
  for (float& v : values) v = low + (high - low) * random.uniform();
  return values;
}

}  // namespace mnistbench::test
