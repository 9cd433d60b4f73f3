// The step in two halves, as gradient accumulation (and later an allreduce
// between processes) uses it: compute_gradients on each half of a batch with
// scale 1/M, the two gradient blocks added, must give the whole batch's
// compute_gradients with scale 1/M, on every backend, for a network its
// fused step covers and one it does not. And apply_update is the plain
// gradient step params -= alpha · grads over the whole block.

#include <gtest/gtest.h>

#include <tuple>

#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/compare.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {
namespace {

using Case = std::tuple<std::string, NetworkShape>;

class StepSplit : public ::testing::TestWithParam<Case> {
 protected:
  const NetworkShape& shape() const { return std::get<1>(GetParam()); }
  std::unique_ptr<Backend> backend = make_backend(std::get<0>(GetParam()));

  Parameters initial() const {
    Parameters params(shape());
    initialise(params, Initialisation::uniform, 23);
    return params;
  }

  // The gradients of rows [first, first + count) of data, scaled by `scale`,
  // read back to host memory.
  Parameters gradients(const RandomBatch& data, int first, int count, float scale) {
    Parameters params = backend->make_parameters(shape()), grads = backend->make_parameters(shape());
    backend->write_parameters(params, initial());
    Workspace ws = backend->make_workspace(shape(), count);
    const Batch part = data.batch_for(*backend, shape()).rows(first, count, data.inputs);
    backend->compute_gradients(params, part, ws, grads, scale);
    Parameters host(shape());
    backend->read_parameters(grads, host);
    return host;
  }
};

TEST_P(StepSplit, TwoHalvesAddUpToTheWholeBatch) {
  // Even halves, and an odd batch whose halves differ by one sample.
  for (int M : {1000, 777}) {
    const RandomBatch data = random_batch(M, shape().inputs(), 3);
    const float scale = 1.0f / float(M);
    const int half = M / 2;
    const Parameters whole = gradients(data, 0, M, scale);
    const Parameters first = gradients(data, 0, half, scale);
    Parameters summed = gradients(data, half, M - half, scale);
    for (std::size_t i = 0; i < summed.all().size(); ++i) summed.all()[i] += first.all()[i];
    EXPECT_TRUE(gradients_close(std::string(backend->name()) + ", network " + shape().to_string() +
                                    ", halves of " + std::to_string(M),
                                whole, summed, kHalvesViewRelative));
  }
}

TEST_P(StepSplit, ScaleScalesTheGradients) {
  // scale 1 gives the sum over the batch: M times the mean. A step that
  // ignored scale and took 1/m itself (a fused step written for the whole
  // batch) would be off by a factor of 256. 1/256 is a power of two, so
  // scaling by it is exact; the tolerance allows only for a backend that
  // applies it at another point of its sums.
  const RandomBatch data = random_batch(256, shape().inputs(), 3);
  Parameters mean = gradients(data, 0, 256, 1.0f / 256);
  const Parameters sum = gradients(data, 0, 256, 1.0f);
  for (float& g : mean.all()) g *= 256;
  EXPECT_TRUE(gradients_close(std::string(backend->name()) + ", scale 1 vs 256 × scale 1/256",
                              sum, mean, kHalvesViewRelative));
}

TEST_P(StepSplit, ApplyUpdateIsOneGradientStep) {
  const Parameters host = initial();
  Parameters host_grads(shape());
  const auto values = random_values(host_grads.all().size(), 29);
  std::copy(values.begin(), values.end(), host_grads.all().begin());
  Parameters params = backend->make_parameters(shape()), grads = backend->make_parameters(shape());
  backend->write_parameters(params, host);
  backend->write_parameters(grads, host_grads);
  backend->apply_update(params, grads, 0.5f);
  Parameters actual(shape()), expected = host;
  backend->read_parameters(params, actual);
  for (std::size_t i = 0; i < expected.all().size(); ++i)
    expected.all()[i] -= 0.5f * host_grads.all()[i];
  EXPECT_TRUE(all_close("apply_update", expected.all(), actual.all(), kElementwiseRelative,
                        kUpdateAbsolute));
}

// The tutorial's network, which fused steps are written for, and two hidden
// layers, where they fall back to the fine ops.
const NetworkShape kSplitNetworks[] = {NetworkShape{{784, 10, 10}}, NetworkShape{{784, 32, 16, 10}}};

INSTANTIATE_TEST_SUITE_P(AllBackends, StepSplit,
                         ::testing::Combine(::testing::ValuesIn(backend_names()),
                                            ::testing::ValuesIn(kSplitNetworks)),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" + network_name(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace mnistbench::test
