#include "tests/support/backend_checks.h"

#include <algorithm>
#include <cmath>
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

std::vector<NetworkShape> checked_networks() {
  return {NetworkShape{{784, 10, 10}}, NetworkShape{{784, 32, 10}},
          NetworkShape{{784, 32, 16, 10}}, NetworkShape{{784, 16, 16, 10}}};
}

std::string network_name(const NetworkShape& shape) {
  std::string name = shape.to_string();
  std::replace(name.begin(), name.end(), ',', '_');
  return name;
}

Batch RandomBatch::batch_for(const Backend& backend, const NetworkShape& shape) const {
  const bool floats = backend.input_form(shape) == InputForm::floats;
  return {pixels.data(), floats ? x.data() : nullptr, labels.data(), size};
}

RandomBatch random_batch(int m, int inputs, int label_stride) {
  RandomBatch data;
  data.size = m;
  data.inputs = inputs;
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

StepResult one_step(Backend& backend, const NetworkShape& shape, const RandomBatch& data) {
  const int m = data.size;
  Parameters initial(shape);
  initialise(initial, Initialisation::uniform, 5);
  Parameters params = backend.make_parameters(shape), grads = backend.make_parameters(shape);
  backend.write_parameters(params, initial);
  Workspace ws = backend.make_workspace(shape, m);
  backend.compute_gradients(params, data.batch_for(backend, shape), ws, grads, 1.0f / float(m));
  const std::span<const float> p = backend.probabilities(ws, m);
  StepResult result{Parameters(shape), Parameters(shape), {p.begin(), p.end()}};
  backend.read_parameters(grads, result.grads);
  backend.apply_update(params, grads, 0.1f);
  backend.read_parameters(params, result.params);
  return result;
}

::testing::AssertionResult gradients_close(const std::string& what, const Parameters& expected,
                                           const Parameters& actual, double view_relative) {
  const NetworkShape& s = expected.shape();
  if (!(actual.shape() == s))
    return ::testing::AssertionFailure() << what << ": network " << actual.shape().to_string()
                                         << ", expected " << s.to_string();
  ::testing::AssertionResult result = ::testing::AssertionSuccess();
  const auto check = [&](const std::string& view, const float* e, const float* a, std::size_t n) {
    double largest = 0.0;
    for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, std::fabs(double(e[i])));
    const std::vector<double> bound(n, view_relative * largest);
    if (auto problem = worst_violation(what + ", " + view, {e, n}, {a, n}, bound)) {
      if (result) result = ::testing::AssertionFailure();
      result << *problem << "\n";
    }
  };
  for (int l = 1; l <= s.layers(); ++l) {
    const std::string layer = std::to_string(l);
    check(std::string("W").append(layer), expected.weights(l), actual.weights(l), s.weight_count(l));
    check(std::string("b").append(layer), expected.bias(l), actual.bias(l), std::size_t(s.fan_out(l)));
  }
  return result;
}

void expect_step_matches_naive(Backend& backend, Backend& naive, const NetworkShape& shape,
                               const RandomBatch& data) {
  const std::string what = std::string(backend.name()) + " vs naive, network " +
                           shape.to_string() + ", batch " + std::to_string(data.size);
  const StepResult expected = one_step(naive, shape, data);
  const StepResult actual = one_step(backend, shape, data);
  EXPECT_TRUE(gradients_close(what + ": gradients", expected.grads, actual.grads,
                              kGradientViewRelative));
  EXPECT_TRUE(all_close(what + ": parameters after one step", expected.params.all(),
                        actual.params.all(), kStepRelative, kStepAbsolute));
  EXPECT_TRUE(all_close(what + ": probabilities of the step's forward pass",
                        expected.probabilities, actual.probabilities, 0.0,
                        kForwardProbabilityAbsolute));
}

}  // namespace mnistbench::test
