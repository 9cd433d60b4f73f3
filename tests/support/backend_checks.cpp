#include "tests/support/backend_checks.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "tests/support/compare.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {

::testing::AssertionResult matmul_matches_naive(Backend& backend, Backend& naive, const MatmulCase& c) {
  const auto a = random_values(std::size_t(c.M) * c.K, 11);
  const auto b = random_values(std::size_t(c.K) * c.N, 12);
  const auto c0 = random_values(std::size_t(c.M) * c.N, 13);
  // beta == 0 must overwrite C, so its old contents may be anything, even NaN.
  AlignedVector<float> expected = c0, actual = c0;
  if (c.beta == 0.0f)
    std::fill(actual.begin(), actual.end(), std::numeric_limits<float>::quiet_NaN());
  naive.matmul(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha, a.data(), b.data(), c.beta,
               expected.data());
  backend.matmul(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha, a.data(), b.data(), c.beta,
                 actual.data());
  const std::vector<double> bound = matmul_bounds(c.trans_a, c.trans_b, c.M, c.N, c.K, c.alpha,
                                                  a.data(), b.data(), c.beta, c0.data());
  return within_bounds(::testing::PrintToString(std::make_tuple(int(c.trans_a), int(c.trans_b),
                                                                c.M, c.N, c.K, c.alpha, c.beta)),
                       expected, actual, bound);
}

}  // namespace mnistbench::test
