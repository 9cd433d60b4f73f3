// The statistics compare and race report: quantiles as NumPy computes them,
// and the Mann-Whitney U test against SciPy 1.10's mannwhitneyu (two-sided).

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "common/stats/statistics.h"

namespace mnistbench::test {
namespace {

TEST(Statistics, QuantilesInterpolateLikeNumPy) {
  // np.quantile([5, 1, 4, 2, 3, 10], [0.25, 0.5, 0.75]) = [2.25, 3.5, 4.75]
  const std::vector<double> values = {5, 1, 4, 2, 3, 10};
  const Spread s = spread(values);
  EXPECT_DOUBLE_EQ(s.q1, 2.25);
  EXPECT_DOUBLE_EQ(s.median, 3.5);
  EXPECT_DOUBLE_EQ(s.q3, 4.75);
  EXPECT_DOUBLE_EQ(s.iqr(), 2.5);
  EXPECT_DOUBLE_EQ(s.relative_iqr(), 2.5 / 3.5);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{7.0}), 7.0);
  EXPECT_DOUBLE_EQ(quantile(values, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile(values, 1.0), 10.0);
  EXPECT_THROW(median(std::vector<double>{}), std::invalid_argument);
}

TEST(Statistics, MannWhitneyExactForSmallSamplesWithoutTies) {
  // Five repeats all below five others: the smallest two-sided p there is, 2/252.
  const std::vector<double> low = {1, 2, 3, 4, 5}, high = {6, 7, 8, 9, 10};
  MannWhitney r = mann_whitney_u(low, high);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0.0);
  EXPECT_NEAR(r.p_value, 0.007936507936507936, 1e-12);
  // Symmetric: the other way round, U = 25, the same p.
  r = mann_whitney_u(high, low);
  EXPECT_DOUBLE_EQ(r.u, 25.0);
  EXPECT_NEAR(r.p_value, 0.007936507936507936, 1e-12);

  r = mann_whitney_u(std::vector<double>{1, 2, 3, 4, 6}, std::vector<double>{5, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(r.u, 1.0);
  EXPECT_NEAR(r.p_value, 0.015873015873015872, 1e-12);

  // Unequal sizes, interleaved: no evidence of a shift.
  r = mann_whitney_u(std::vector<double>{1.1, 2.2, 3.3}, std::vector<double>{0.5, 4.4, 5.5, 6.6});
  EXPECT_DOUBLE_EQ(r.u, 3.0);
  EXPECT_NEAR(r.p_value, 0.4, 1e-12);
}

TEST(Statistics, MannWhitneyNormalWithTies) {
  // scipy.stats.mannwhitneyu([1, 2, 2, 3, 4], [2, 3, 5, 6, 7]): U 4.5, p 0.11161176829829224
  const MannWhitney r = mann_whitney_u(std::vector<double>{1, 2, 2, 3, 4}, std::vector<double>{2, 3, 5, 6, 7});
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 4.5);
  EXPECT_NEAR(r.p_value, 0.11161176829829224, 1e-9);
}

TEST(Statistics, MannWhitneyWithoutEvidence) {
  // One value each can never be significant; all values equal carry no evidence.
  EXPECT_DOUBLE_EQ(mann_whitney_u(std::vector<double>{1}, std::vector<double>{2}).p_value, 1.0);
  EXPECT_DOUBLE_EQ(mann_whitney_u(std::vector<double>{3, 3}, std::vector<double>{3, 3, 3}).p_value, 1.0);
  EXPECT_DOUBLE_EQ(mann_whitney_u(std::vector<double>{}, std::vector<double>{1, 2}).p_value, 1.0);
}

}  // namespace
}  // namespace mnistbench::test
