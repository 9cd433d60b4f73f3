// The whole backward pass of naive, the reference, against central finite
// differences of the loss: the check that the tutorial's formulas, as
// composed by the trainer, really are the gradient.

#include <gtest/gtest.h>

#include <cmath>

#include "common/metrics.h"
#include "common/registry.h"
#include "tests/support/compare.h"

namespace mnistbench::test {
namespace {

TEST(Gradients, BackwardPassMatchesFiniteDifferences) {
  // A small network so every parameter can be perturbed; naive takes any shape.
  const NetworkShape shape{12, 5, 10};
  const int m = 8;
  const auto x = random_values(std::size_t(m) * shape.inputs, 91, 0.0f, 1.0f);
  std::vector<std::uint8_t> labels(m);
  for (int i = 0; i < m; ++i) labels[i] = std::uint8_t((3 * i + 1) % 10);
  std::unique_ptr<Backend> naive = make_backend("naive");
  Workspace ws(shape, m);

  Parameters params(shape), grads(shape);
  initialise(params, Initialisation::uniform, 17);
  const auto loss = [&](const Parameters& p) {
    naive->forward(p, x.data(), m, ws);
    return evaluate_probabilities(ws.probabilities.data(), labels.data(), m, shape.outputs).loss;
  };

  // alpha = 0 leaves params as they are and fills grads.
  Parameters stepped = params;
  naive->train_step(stepped, grads, {x.data(), nullptr, labels.data(), m}, ws, 0.0f);

  // eps = 1e-2: the loss is computed in float (error ~1e-7 of ~2.5), so the
  // difference quotient carries ~1e-5 of rounding; its truncation error is
  // O(eps²·f''') ~1e-5. Together well under the 1e-3 + 1% allowed. A wrong
  // formula (a missed transpose, a dropped 1/m) is off by far more.
  const float eps = 1e-2f;
  int checked = 0;
  for (std::size_t i = 0; i < params.all().size(); ++i) {
    Parameters plus = params, minus = params;
    plus.all()[i] += eps;
    minus.all()[i] -= eps;
    const double numeric = (loss(plus) - loss(minus)) / (2.0 * eps);
    const double analytic = grads.all()[i];
    EXPECT_NEAR(analytic, numeric, 1e-3 + 1e-2 * std::fabs(numeric)) << "parameter " << i;
    ++checked;
  }
  EXPECT_EQ(checked, int(params.all().size()));
}

}  // namespace
}  // namespace mnistbench::test
