// simd, tbb, xsmm and eigen promise the same bits on any thread count: all run on the
// common executor (common/platform/executor.h), whose tiles, and the order in which
// their partial sums over samples are added, follow from the problem size
// alone. So a few training steps on 1, 2 and 16 threads (more than this
// machine's cores) must leave identical parameters, for a network a fused
// step covers and for one that falls back to the fine ops. Agreement with
// naive, within tolerance, is test_backend_steps's business.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/compare.h"

namespace mnistbench::test {
namespace {

constexpr int kSteps = 2;

// The backends that promise thread-count invariance.
const std::string kInvariant[] = {"tbb", "simd", "xsmm", "eigen"};

// The tutorial's network, which simd's fused step covers, and two hidden
// layers, where simd and tbb compose the fine ops (FusedAndFallbackAreCovered
// holds simd to that).
const NetworkShape kFused{{784, 10, 10}};
const NetworkShape kFallback{{784, 32, 16, 10}};

bool is_built(const std::string& name) {
  const auto names = backend_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct Trained {
  Parameters params;
  Parameters grads;                   // of the last step
  std::vector<float> probabilities;   // (m, outputs) of the last step's forward pass
};

// kSteps full-batch steps on m random images.
Trained train(const std::string& name, const NetworkShape& shape, int threads, int m) {
  const RandomBatch data = random_batch(m, shape.inputs());
  auto backend = make_backend(name);
  backend->set_threads(threads);
  Parameters initial(shape);
  initialise(initial, Initialisation::uniform, 5);
  Parameters params = backend->make_parameters(shape), grads = backend->make_parameters(shape);
  backend->write_parameters(params, initial);
  Workspace ws = backend->make_workspace(shape, m);
  const Batch batch = data.batch_for(*backend, shape);
  for (int step = 0; step < kSteps; ++step) backend->train_step(params, grads, batch, ws, 0.1f);
  Trained trained{Parameters(shape), Parameters(shape), {}};
  backend->read_parameters(params, trained.params);
  backend->read_parameters(grads, trained.grads);
  const std::span<const float> p = backend->probabilities(ws, m);
  trained.probabilities.assign(p.begin(), p.end());
  return trained;
}

::testing::AssertionResult bit_identical(const std::string& what, std::span<const float> expected,
                                         std::span<const float> actual) {
  if (expected.size() == actual.size() &&
      std::memcmp(expected.data(), actual.data(), expected.size_bytes()) == 0)
    return ::testing::AssertionSuccess();
  // all_close with zero tolerance names the first worst difference.
  ::testing::AssertionResult close = all_close(what, expected, actual, 0.0, 0.0);
  if (!close) return close;
  return ::testing::AssertionFailure() << what << ": equal values, different bits (a -0 or a NaN)";
}

class ThreadInvariance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!is_built(GetParam())) GTEST_SKIP() << "the " << GetParam() << " backend is not built";
  }
};

TEST_P(ThreadInvariance, InfoReportsTheThreadsSet) {
  auto backend = make_backend(GetParam());
  EXPECT_GE(backend->info().threads, 1);
  for (int threads : {1, 2, 16, 3}) {
    backend->set_threads(threads);
    EXPECT_EQ(backend->info().threads, threads);
  }
}

TEST(ThreadInvarianceCases, SimdTakesTwoPaths) {
  // simd must take two different paths through these networks (its fused
  // step, and its tiles of fine ops), or the second case would test nothing
  // new; tbb has one path for every network.
  if (!is_built("simd")) GTEST_SKIP() << "the simd backend is not built";
  auto backend = make_backend("simd");
  const auto fused = backend->fused_step(kFused), fallback = backend->fused_step(kFallback);
  EXPECT_TRUE(fused.has_value() && fused->rfind("fused", 0) == 0)
      << "simd no longer fuses " << kFused.to_string() << ": pick a network it does fuse";
  EXPECT_NE(fused, fallback) << "simd runs " << kFallback.to_string()
                             << " the same way as the tutorial's network: pick another fallback";
}

void expect_steps_bit_identical(const std::string& name, const NetworkShape& shape) {
  // 1000 samples: one tile or a few; 4097: several, the last holding one sample.
  for (int m : {1000, 4097}) {
    const Trained one = train(name, shape, 1, m);
    for (int threads : {2, 16}) {
      const Trained many = train(name, shape, threads, m);
      const std::string what = name + ", network " + shape.to_string() + ", " +
                               std::to_string(threads) + " threads vs 1, batch " + std::to_string(m) + ": ";
      EXPECT_TRUE(bit_identical(what + "parameters", one.params.all(), many.params.all()));
      EXPECT_TRUE(bit_identical(what + "gradients", one.grads.all(), many.grads.all()));
      EXPECT_TRUE(bit_identical(what + "probabilities", one.probabilities, many.probabilities));
    }
  }
}

TEST_P(ThreadInvariance, TutorialNetworkStepsAreBitIdenticalOnAnyThreadCount) {
  expect_steps_bit_identical(GetParam(), kFused);
}

TEST_P(ThreadInvariance, TwoHiddenLayerStepsAreBitIdenticalOnAnyThreadCount) {
  expect_steps_bit_identical(GetParam(), kFallback);
}

INSTANTIATE_TEST_SUITE_P(Invariant, ThreadInvariance, ::testing::ValuesIn(kInvariant));

}  // namespace
}  // namespace mnistbench::test
