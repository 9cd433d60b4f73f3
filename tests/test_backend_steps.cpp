// The whole step of every registered backend against naive, the reference,
// on every checked network (tests/support/backend_checks.h: one and two
// hidden layers, two of equal width): the gradients of compute_gradients,
// the parameters after apply_update, the probabilities of forward, and a few
// training steps in a row. A backend's fused step runs where it covers the
// network and the fine ops elsewhere; both are held here. The suite walks
// the registry, so a new backend is tested without new code.

#include <gtest/gtest.h>

#include <tuple>

#include "common/train/metrics.h"
#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/compare.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {
namespace {

using Case = std::tuple<std::string, NetworkShape>;

class BackendSteps : public ::testing::TestWithParam<Case> {
 protected:
  const NetworkShape& shape() const { return std::get<1>(GetParam()); }
  std::unique_ptr<Backend> backend = make_backend(std::get<0>(GetParam()));
  std::unique_ptr<Backend> naive = make_backend("naive");
};

TEST_P(BackendSteps, GradientsAndUpdateMatchNaive) {
  // One sample; a batch that fills no tile or vector evenly; a thousand.
  for (int m : {1, 77, 1000})
    expect_step_matches_naive(*backend, *naive, shape(), random_batch(m, shape().inputs(), 3));
}

// forward on its own, as evaluation runs it (a backend may override it apart
// from compute_gradients), with the floats evaluation always provides.
std::vector<float> forward_probabilities(Backend& backend, const NetworkShape& shape,
                                         const RandomBatch& data) {
  Parameters initial(shape);
  initialise(initial, Initialisation::uniform, 9);
  Parameters params = backend.make_parameters(shape);
  backend.write_parameters(params, initial);
  Workspace ws = backend.make_workspace(shape, data.size);
  backend.forward(params, data.batch(), ws);
  const std::span<const float> p = backend.probabilities(ws, data.size);
  return {p.begin(), p.end()};
}

TEST_P(BackendSteps, ForwardMatchesNaive) {
  for (int m : {1, 1000}) {
    const RandomBatch data = random_batch(m, shape().inputs(), 7);
    EXPECT_TRUE(all_close(std::string(backend->name()) + " forward, network " + shape().to_string() +
                              ", batch " + std::to_string(m),
                          forward_probabilities(*naive, shape(), data),
                          forward_probabilities(*backend, shape(), data), 0.0,
                          kForwardProbabilityAbsolute));
  }
}

struct Trajectory {
  std::vector<double> losses;  // of each step's forward pass, before its update
  Parameters params;           // after the last step
};

// kFewSteps full-batch steps through train_step, as the trainer runs them.
Trajectory few_steps(Backend& backend, const NetworkShape& shape, const RandomBatch& data) {
  Parameters initial(shape);
  initialise(initial, Initialisation::uniform, 5);
  Parameters params = backend.make_parameters(shape), grads = backend.make_parameters(shape);
  backend.write_parameters(params, initial);
  Workspace ws = backend.make_workspace(shape, data.size);
  const Batch batch = data.batch_for(backend, shape);
  Trajectory trajectory{{}, Parameters(shape)};
  for (int step = 0; step < kFewSteps; ++step) {
    backend.train_step(params, grads, batch, ws, 0.1f);
    trajectory.losses.push_back(
        evaluate_probabilities(backend.probabilities(ws, data.size), data.labels.data(),
                               shape.outputs())
            .loss);
  }
  backend.read_parameters(params, trajectory.params);
  return trajectory;
}

TEST_P(BackendSteps, FewStepsFollowNaive) {
  const RandomBatch data = random_batch(500, shape().inputs(), 3);
  const Trajectory expected = few_steps(*naive, shape(), data);
  const Trajectory actual = few_steps(*backend, shape(), data);
  for (int step = 0; step < kFewSteps; ++step)
    EXPECT_NEAR(actual.losses[step], expected.losses[step], kCurveLossRelative * expected.losses[step])
        << "loss of step " << step + 1 << ", network " << shape().to_string();
  EXPECT_TRUE(all_close("parameters after " + std::to_string(kFewSteps) + " steps, network " +
                            shape().to_string(),
                        expected.params.all(), actual.params.all(), kFewStepsRelative,
                        kFewStepsAbsolute));
  // The steps must have moved the weights, or agreeing would prove nothing.
  Parameters initial(shape());
  initialise(initial, Initialisation::uniform, 5);
  EXPECT_FALSE(all_close("", initial.all(), expected.params.all(), kFewStepsRelative,
                         kFewStepsAbsolute));
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendSteps,
                         ::testing::Combine(::testing::ValuesIn(backend_names()),
                                            ::testing::ValuesIn(checked_networks())),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + network_name(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace mnistbench::test
