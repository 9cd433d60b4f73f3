// The update rules the trainer offers every backend: the learning-rate
// schedule, and heavy-ball momentum through the common interface
// (Backend::accumulate_momentum, then apply_update).

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>

#include "common/model/registry.h"
#include "common/train/run.h"
#include "tests/support/mnist.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {
namespace {

TEST(Schedule, ConstantIsAlphaAtEveryStep) {
  TrainOptions options;
  options.alpha = 0.25f;
  for (std::int64_t step : {0, 1, 99}) EXPECT_EQ(learning_rate(options, step, 100), 0.25f);
}

TEST(Schedule, LinearFallsFromAlphaToAlphaOverSteps) {
  TrainOptions options;
  options.alpha = 0.2f;
  options.schedule = Schedule::linear;
  EXPECT_FLOAT_EQ(learning_rate(options, 0, 100), 0.2f);
  EXPECT_FLOAT_EQ(learning_rate(options, 50, 100), 0.1f);
  EXPECT_FLOAT_EQ(learning_rate(options, 99, 100), 0.002f);
  for (std::int64_t step = 1; step < 100; ++step)
    EXPECT_LT(learning_rate(options, step, 100), learning_rate(options, step - 1, 100)) << step;
}

// Trains naive for two full-batch steps with momentum and repeats them by
// hand with the backend's own ops: v = g0, p1 = p0 - alpha·v; v = mu·v + g1,
// p2 = p1 - alpha·v. The same float operations in the same order, so the
// same bits.
TEST(Momentum, TwoStepsAreHeavyBall) {
  const TrainingData& data = real_mnist(500);
  const NetworkShape shape;
  std::unique_ptr<Backend> backend = make_backend("naive");
  Parameters start(shape);
  initialise(start, Initialisation::he, 7);

  TrainOptions options;
  options.iterations = 2;
  options.alpha = 0.3f;
  options.momentum = 0.8f;
  Parameters trained = start;
  std::atomic<bool> stop{false};
  InProcessShards plain_training;
  train(*backend, trained, data, options, plain_training, nullptr, stop);

  const ImageBatch full(data.train, data.train.count, true);
  Workspace ws(shape, data.train.count);
  Parameters p = start, grads(shape), velocity(shape);
  for (int step = 0; step < 2; ++step) {
    backend->compute_gradients(p, full.batch(), ws, grads, 1.0f / float(data.train.count));
    for (std::size_t i = 0; i < velocity.all().size(); ++i)
      velocity.all()[i] = options.momentum * velocity.all()[i] + grads.all()[i];
    backend->sgd_update(p.all().data(), velocity.all().data(), p.all().size(), options.alpha);
  }
  for (std::size_t i = 0; i < p.all().size(); ++i) ASSERT_EQ(trained.all()[i], p.all()[i]) << i;

  // And it is not plain gradient descent (whose second step ignores the first's gradient).
  Parameters plain = start;
  options.momentum = 0.0f;
  train(*backend, plain, data, options, plain_training, nullptr, stop);
  EXPECT_FALSE(std::equal(plain.all().begin(), plain.all().end(), trained.all().begin()));
}

class MomentumFollowsNaive : public ::testing::TestWithParam<std::string> {};

// Every backend takes momentum and the schedule through the common
// interface: with both, its loss curve stays on naive's.
TEST_P(MomentumFollowsNaive, LossCurveOfTwentyFullBatchSteps) {
  const TrainingData& data = real_mnist(5000);
  RunSettings settings;
  settings.train.iterations = 20;
  settings.train.log_every = 1;
  settings.train.momentum = 0.9f;
  settings.train.schedule = Schedule::linear;
  settings.threads = 2;
  std::atomic<bool> stop{false};
  const auto run = [&](const std::string& name) {
    std::unique_ptr<Backend> backend = make_backend(name);
    return run_training(*backend, data, settings, nullptr, stop);
  };
  const RunSummary reference = run("naive");
  const RunSummary candidate = run(GetParam());
  ASSERT_EQ(candidate.history.size(), reference.history.size());
  for (std::size_t i = 0; i < reference.history.size(); ++i)
    EXPECT_NEAR(candidate.history[i].loss, reference.history[i].loss,
                kCurveLossRelative * reference.history[i].loss)
        << "iteration " << reference.history[i].step;
  EXPECT_LT(reference.history.back().loss, reference.history.front().loss);
}

INSTANTIATE_TEST_SUITE_P(AllBackends, MomentumFollowsNaive, ::testing::ValuesIn(backend_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mnistbench::test
