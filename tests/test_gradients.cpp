// The whole backward pass of naive, the reference, against central finite
// differences of the loss: the check that the tutorial's formulas, as
// composed layer by layer, really are the gradient, for one hidden layer and
// for two (where the backward pass goes through a ReLU between two weight
// layers, which one hidden layer never exercises).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/train/metrics.h"
#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/compare.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {
namespace {

class Gradients : public ::testing::TestWithParam<NetworkShape> {};

TEST_P(Gradients, BackwardPassMatchesFiniteDifferences) {
  // A small network so every parameter can be perturbed; naive takes any shape.
  const NetworkShape& shape = GetParam();
  const int m = 8;
  const auto x = random_values(std::size_t(m) * shape.inputs(), 91, 0.0f, 1.0f);
  std::vector<std::uint8_t> labels(m);
  for (int i = 0; i < m; ++i) labels[i] = std::uint8_t((3 * i + 1) % 10);
  const Batch batch{nullptr, x.data(), labels.data(), m};
  std::unique_ptr<Backend> naive = make_backend("naive");
  Workspace ws = naive->make_workspace(shape, m);

  Parameters params(shape), grads(shape);
  initialise(params, Initialisation::uniform, 17);
  const auto loss = [&](const Parameters& p) {
    naive->forward(p, batch, ws);
    return evaluate_probabilities(naive->probabilities(ws, m), labels.data(), shape.outputs()).loss;
  };
  // The gradient of the mean loss: scale 1/m, as the trainer asks for it.
  naive->compute_gradients(params, batch, ws, grads, 1.0f / float(m));

  const float eps = kFiniteDifferenceStep;
  Parameters numeric(shape);
  for (std::size_t i = 0; i < params.all().size(); ++i) {
    Parameters plus = params, minus = params;
    plus.all()[i] += eps;
    minus.all()[i] -= eps;
    numeric.all()[i] = float((loss(plus) - loss(minus)) / (2.0 * eps));
  }
  EXPECT_TRUE(all_close("analytic vs finite-difference gradient, network " + shape.to_string(),
                        numeric.all(), grads.all(), kFiniteDifferenceRelative,
                        kFiniteDifferenceAbsolute));

  // And the check has teeth: the gradient of the summed loss (a dropped 1/m)
  // fails it.
  Parameters summed(shape);
  naive->compute_gradients(params, batch, ws, summed, 1.0f);
  EXPECT_FALSE(all_close("", numeric.all(), summed.all(), kFiniteDifferenceRelative,
                         kFiniteDifferenceAbsolute));

  // Agreement means something only where the gradient is well above the
  // tolerance: every layer's weights and biases must have such an element,
  // so a backward pass that left a layer's gradient at zero cannot pass.
  for (int l = 1; l <= shape.layers(); ++l) {
    const auto largest = [](const float* v, std::size_t n) {
      double most = 0;
      for (std::size_t i = 0; i < n; ++i) most = std::max(most, std::fabs(double(v[i])));
      return most;
    };
    EXPECT_GT(largest(numeric.weights(l), shape.weight_count(l)), 10 * kFiniteDifferenceAbsolute)
        << "W" << l << " of " << shape.to_string();
    EXPECT_GT(largest(numeric.bias(l), std::size_t(shape.fan_out(l))), 10 * kFiniteDifferenceAbsolute)
        << "b" << l << " of " << shape.to_string();
  }
}

INSTANTIATE_TEST_SUITE_P(SmallNetworks, Gradients,
                         ::testing::Values(NetworkShape{{12, 5, 10}}, NetworkShape{{12, 6, 5, 10}},
                                           NetworkShape{{12, 4, 4, 4, 10}}),
                         [](const auto& info) { return network_name(info.param); });

}  // namespace
}  // namespace mnistbench::test
