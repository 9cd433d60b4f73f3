// Training on the real MNIST: naive clearly learns, and every backend follows
// naive's loss curve step by step.

#include <gtest/gtest.h>

#include "common/model/registry.h"
#include "common/train/run.h"
#include "tests/support/mnist.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {
namespace {

RunSummary run(const std::string& backend_name, const TrainingData& data, const TrainOptions& options) {
  std::unique_ptr<Backend> backend = make_backend(backend_name);
  RunSettings settings;
  settings.train = options;
  settings.threads = 2;
  std::atomic<bool> stop{false};
  return run_training(*backend, data, settings, nullptr, stop);
}

TEST(Training, NaiveLearnsRealMnistInOneMiniBatchEpoch) {
  const TrainingData& data = real_mnist(60000);
  TrainOptions options;
  options.batch_size = 64;
  options.epochs = 1;
  const RunSummary summary = run("naive", data, options);
  // Chance is 10% and the initial loss ~3; one epoch of SGD at batch 64
  // reaches ~90% on this network. 80% leaves room and still means learning.
  EXPECT_GT(*summary.test_accuracy, 0.80);
  EXPECT_LT(summary.final_loss, 0.7);
  EXPECT_EQ(summary.iterations, (60000 + 63) / 64);
}

class FollowsNaive : public ::testing::TestWithParam<std::string> {};

TEST_P(FollowsNaive, LossCurveOfTwentyFullBatchSteps) {
  const TrainingData& data = real_mnist(5000);
  TrainOptions options;
  options.iterations = 20;
  options.log_every = 1;
  const RunSummary reference = run("naive", data, options);
  const RunSummary candidate = run(GetParam(), data, options);
  ASSERT_EQ(candidate.history.size(), reference.history.size());
  for (std::size_t i = 0; i < reference.history.size(); ++i)
    EXPECT_NEAR(candidate.history[i].loss, reference.history[i].loss,
                kCurveLossRelative * reference.history[i].loss)
        << "iteration " << reference.history[i].step;
  EXPECT_LT(reference.history.back().loss, reference.history.front().loss);  // it descends
}

INSTANTIATE_TEST_SUITE_P(AllBackends, FollowsNaive, ::testing::ValuesIn(backend_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mnistbench::test
