// The tbb and simd_tbb backends promise the same bits on any thread count:
// their bands or tiles, and the order in which they add the partial sums of a
// sum over samples, follow from the problem size alone. So several training steps on 1, 2 and 16
// threads (more than this machine's cores) must leave identical parameters.
// Agreement with naive, within tolerance, is test_backend_ops's business.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/compare.h"

namespace mnistbench::test {
namespace {

constexpr int kSteps = 3;

// The backends that promise thread-count invariance.
const std::string kInvariant[] = {"tbb", "simd_tbb"};

bool is_built(const std::string& name) {
  const auto names = backend_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct Trained {
  Parameters params;
  AlignedVector<float> probabilities;  // (m, outputs) of the last step's forward pass
};

// kSteps full-batch steps on m random images, as test_backend_ops makes them.
Trained train(const std::string& name, int threads, int m) {
  const NetworkShape shape;
  const RandomBatch data = random_batch(m, shape.inputs);
  const Batch batch = data.batch();

  auto backend = make_backend(name);
  backend->set_threads(threads);
  Parameters params(shape), grads(shape);
  initialise(params, Initialisation::uniform, 5);
  Workspace ws(shape, m);
  for (int step = 0; step < kSteps; ++step) backend->train_step(params, grads, batch, ws, 0.1f);
  return {params, {ws.probabilities.begin(),
                   ws.probabilities.begin() + std::size_t(m) * shape.outputs}};
}

class TbbThreads : public ::testing::TestWithParam<std::string> {};

TEST_P(TbbThreads, InfoReportsTheThreadsSet) {
  if (!is_built(GetParam())) GTEST_SKIP() << "the " << GetParam() << " backend is not built";
  auto backend = make_backend(GetParam());
  EXPECT_GE(backend->info().threads, 1);
  for (int threads : {1, 2, 16, 3}) {
    backend->set_threads(threads);
    EXPECT_EQ(backend->info().threads, threads);
  }
}

TEST_P(TbbThreads, StepsAreBitIdenticalOnAnyThreadCount) {
  if (!is_built(GetParam())) GTEST_SKIP() << "the " << GetParam() << " backend is not built";
  // 1000 samples fit one partial of a sum over samples; 4097 need five, the
  // last holding one sample.
  for (int m : {1000, 4097}) {
    const Trained one = train(GetParam(), 1, m);
    for (int threads : {2, 16}) {
      const Trained many = train(GetParam(), threads, m);
      const std::string what = std::to_string(threads) + " threads vs 1, batch " +
                               std::to_string(m) + ": ";
      EXPECT_TRUE(all_close(what + "parameters", one.params.all(), many.params.all(), 0.0, 0.0));
      EXPECT_TRUE(all_close(what + "probabilities", one.probabilities, many.probabilities, 0.0,
                            0.0));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Invariant, TbbThreads, ::testing::ValuesIn(kInvariant));

}  // namespace
}  // namespace mnistbench::test
