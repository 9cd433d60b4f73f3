// A batch cut into shards (common/distributed/): the shards cover the batch,
// the sum runs in shard order, and ShardedGradients gives, on every backend,
// exactly the bits of computing each shard's gradients and adding them in
// that order, empty shards included. That is the single-process side of
// --distributed; test_distributed checks MPI ranks against it.

#include <gtest/gtest.h>

#include <cstring>
#include <tuple>

#include "common/distributed/sharded_gradients.h"
#include "common/model/registry.h"
#include "tests/support/backend_checks.h"

namespace mnistbench::test {
namespace {

bool bit_identical(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size_bytes()) == 0;
}

TEST(ShardRows, CoverTheBatchInOrderAndDifferByAtMostOne) {
  for (int batch : {1, 2, 3, 64, 1000, 59000})
    for (int shards : {1, 2, 3, 7, 64}) {
      int next = 0, smallest = batch, largest = 0;
      for (int s = 0; s < shards; ++s) {
        const ShardRows rows = shard_rows(batch, s, shards);
        EXPECT_EQ(rows.first, next) << batch << " rows in " << shards << " shards, shard " << s;
        next = rows.first + rows.count;
        smallest = std::min(smallest, rows.count);
        largest = std::max(largest, rows.count);
      }
      EXPECT_EQ(next, batch) << batch << " rows in " << shards << " shards";
      EXPECT_LE(largest - smallest, 1) << batch << " rows in " << shards << " shards";
      EXPECT_EQ(largest, (batch + shards - 1) / shards) << "workspaces are sized by this";
    }
}

TEST(SumShardsInOrder, AddsShardZeroFirstThenEachInTurn) {
  // In float, (1e8 + 1) - 1e8 is 0 but (1e8 - 1e8) + 1 is 1: the result
  // shows which order ran.
  const std::vector<float> all = {1e8f, 2.0f, 1.0f, 3.0f, -1e8f, 4.0f};
  std::vector<float> out(2);
  sum_shards_in_order(all, 3, out);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], 9.0f);
}

using Case = std::tuple<std::string, NetworkShape>;

class Sharded : public ::testing::TestWithParam<Case> {
 protected:
  const NetworkShape& shape() const { return std::get<1>(GetParam()); }
  std::unique_ptr<Backend> backend = make_backend(std::get<0>(GetParam()));

  Parameters initial_params() const {
    Parameters host(shape());
    initialise(host, Initialisation::uniform, 11);
    Parameters params = backend->make_parameters(shape());
    backend->write_parameters(params, host);
    return params;
  }
  Parameters host_copy(const Parameters& params) const {
    Parameters host(shape());
    backend->read_parameters(params, host);
    return host;
  }
};

TEST_P(Sharded, GivesTheBitsOfEachShardsGradientsAddedInOrder) {
  // 777 rows in 3 shards of 259; 2 rows in 3 shards leave one empty.
  for (const auto& [m, shards] : {std::pair{777, 3}, std::pair{1000, 2}, std::pair{2, 3}}) {
    const RandomBatch data = random_batch(m, shape().inputs(), 3);
    const Batch batch = data.batch_for(*backend, shape());
    const Parameters params = initial_params();
    const float scale = 1.0f / float(m);

    InProcessShards group(shards);
    ShardedGradients sharded(*backend, shape(), group, m);
    Parameters grads = backend->make_parameters(shape());
    sharded.compute(params, batch, grads, scale);

    // The same by hand: each shard on its own workspace, then added in order.
    Parameters expected = backend->make_parameters(shape());
    std::ranges::fill(expected.all(), 0.0f);
    for (int s = 0; s < shards; ++s) {
      const ShardRows rows = shard_rows(m, s, shards);
      Parameters part = backend->make_parameters(shape());
      std::ranges::fill(part.all(), 0.0f);
      if (rows.count > 0) {
        Workspace ws = backend->make_workspace(shape(), rows.count);
        backend->compute_gradients(params, batch.rows(rows.first, rows.count, data.inputs), ws, part, scale);
      }
      if (s == 0) expected = std::move(part);
      else
        for (std::size_t i = 0; i < expected.all().size(); ++i) expected.all()[i] += part.all()[i];
    }
    EXPECT_TRUE(bit_identical(host_copy(expected).all(), host_copy(grads).all()))
        << backend->name() << ", " << m << " rows in " << shards << " shards";

    // The batch's loss and accuracy over every shard: the same as over the
    // whole batch's forward pass, up to double rounding of the per-shard sums.
    const Evaluation over_shards = sharded.evaluate_last_batch();
    Workspace whole_ws = backend->make_workspace(shape(), m);
    backend->forward(params, data.batch(), whole_ws);
    const Evaluation whole =
        evaluate_probabilities(backend->probabilities(whole_ws, m), data.labels.data(), shape().outputs());
    // The forward pass of a shard is the same arithmetic as of the whole
    // batch row by row, but a backend may block rows differently (simd's
    // 128-sample blocks), so the probabilities differ by float rounding:
    // kForwardProbabilityAbsolute each, far below a wrong shard's effect.
    EXPECT_NEAR(over_shards.loss, whole.loss, 1e-5) << backend->name() << ", " << m << " rows";
    EXPECT_NEAR(over_shards.accuracy, whole.accuracy, 1.0 / m + 1e-12) << backend->name() << ", " << m << " rows";
  }
}

TEST_P(Sharded, OneShardIsTheBackendsOwnStep) {
  const RandomBatch data = random_batch(500, shape().inputs(), 3);
  const Batch batch = data.batch_for(*backend, shape());
  const Parameters params = initial_params();
  InProcessShards one;
  ShardedGradients sharded(*backend, shape(), one, 500);
  Parameters grads = backend->make_parameters(shape()), direct = backend->make_parameters(shape());
  sharded.compute(params, batch, grads, 1.0f / 500);
  Workspace ws = backend->make_workspace(shape(), 500);
  backend->compute_gradients(params, batch, ws, direct, 1.0f / 500);
  EXPECT_TRUE(bit_identical(host_copy(direct).all(), host_copy(grads).all())) << backend->name();
  EXPECT_EQ(sharded.bytes_sent_per_step(), 0.0);
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, Sharded,
                         ::testing::Combine(::testing::ValuesIn(backend_names()),
                                            ::testing::Values(NetworkShape{}, NetworkShape{{784, 32, 16, 10}})),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::get<0>(info.param) + "_" + network_name(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace mnistbench::test
