#include "tests/support/backend_checks.h"

#include <algorithm>
#include <limits>
#include <string>
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

RandomBatch random_batch(int m, int inputs, int label_stride) {
  RandomBatch data;
  data.size = m;
  const auto values = random_values(std::size_t(m) * inputs, 81, 0.0f, 1.0f);
  data.pixels.resize(values.size());
  data.x.resize(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    data.pixels[i] = std::uint8_t(values[i] * 255.0f);
    data.x[i] = float(data.pixels[i]) / 255.0f;
  }
  for (int i = 0; i < m; ++i) data.labels.push_back(std::uint8_t((i * label_stride) % 10));
  return data;
}

void expect_train_step_matches_naive(Backend& backend, Backend& naive, const RandomBatch& data) {
  const NetworkShape shape;
  const int m = data.size;
  Parameters expected(shape), actual(shape), grads_e(shape), grads_a(shape);
  initialise(expected, Initialisation::uniform, 5);
  initialise(actual, Initialisation::uniform, 5);
  Workspace ws_e(shape, m), ws_a(shape, m);
  naive.train_step(expected, grads_e, data.batch(), ws_e, 0.1f);
  backend.train_step(actual, grads_a, data.batch(), ws_a, 0.1f);
  EXPECT_TRUE(all_close("parameters after one step, batch " + std::to_string(m), expected.all(),
                        actual.all(), kStepRelative, kStepAbsolute));
  EXPECT_TRUE(all_close("probabilities of the step's forward pass",
                        {ws_e.probabilities.data(), std::size_t(m) * shape.outputs},
                        {ws_a.probabilities.data(), std::size_t(m) * shape.outputs}, 0.0,
                        kForwardProbabilityAbsolute));
}

}  // namespace mnistbench::test
