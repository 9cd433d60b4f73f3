#include "common/distributed/sharded_gradients.h"

#include <algorithm>
#include <chrono>

namespace mnistbench {

ShardedGradients::ShardedGradients(Backend& backend, const NetworkShape& shape, ShardGroup& group,
                                   int max_batch)
    : backend_(backend), group_(group), classes_(shape.outputs()) {
  // No shard has more rows than this (shard_rows); the smaller last
  // mini-batch's shards fit too.
  const int rows = std::max(1, (max_batch + group.shards() - 1) / group.shards());
  for (int s = 0; s < group.local_shards(); ++s)
    shards_.push_back({backend.make_workspace(shape, rows),
                       group.sharded() ? std::optional(backend.make_parameters(shape)) : std::nullopt, {}});
  if (!group.sharded()) return;
  for (const LocalShard& shard : shards_) local_blocks_.push_back(shard.grads->all());
  all_grads_.resize(std::size_t(group.shards()) * shards_.front().grads->all().size());
  local_totals_.resize(2 * shards_.size());
  all_totals_.resize(2 * std::size_t(group.shards()));
}

void ShardedGradients::compute(const Parameters& params, const Batch& batch, Parameters& grads, float scale) {
  last_batch_size_ = batch.size;
  if (!group_.sharded()) {
    LocalShard& only = shards_.front();
    only.rows = batch;
    backend_.compute_gradients(params, batch, only.ws, grads, scale);
    return;
  }
  const int inputs = params.shape().inputs();
  for (int i = 0; i < int(shards_.size()); ++i) {
    LocalShard& shard = shards_[std::size_t(i)];
    const ShardRows rows = shard_rows(batch.size, group_.first_local() + i, group_.shards());
    shard.rows = batch.rows(rows.first, rows.count, inputs);
    // A batch smaller than the shards leaves some empty: they add nothing.
    if (rows.count == 0)
      std::ranges::fill(shard.grads->all(), 0.0f);
    else
      backend_.compute_gradients(params, shard.rows, shard.ws, *shard.grads, scale);
  }
  const auto start = std::chrono::steady_clock::now();
  group_.all_gather(local_blocks_, all_grads_);
  sum_shards_in_order(all_grads_, group_.shards(), grads.all());
  exchange_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Evaluation ShardedGradients::evaluate_last_batch() {
  const auto on_shard = [&](const LocalShard& shard) {
    return evaluate_probabilities(backend_.probabilities(shard.ws, shard.rows.size), shard.rows.labels, classes_);
  };
  if (!group_.sharded()) return on_shard(shards_.front());
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    const int m = shards_[i].rows.size;
    const Evaluation e = m > 0 ? on_shard(shards_[i]) : Evaluation{};
    local_totals_[2 * i] = e.loss * m;
    local_totals_[2 * i + 1] = e.accuracy * m;
  }
  group_.all_gather(local_totals_, all_totals_);
  double loss = 0.0, correct = 0.0;
  for (int s = 0; s < group_.shards(); ++s) {
    loss += all_totals_[2 * std::size_t(s)];
    correct += all_totals_[2 * std::size_t(s) + 1];
  }
  return {loss / last_batch_size_, correct / last_batch_size_};
}

double ShardedGradients::bytes_sent_per_step() const {
  if (!group_.sharded()) return 0.0;
  return group_.bytes_sent(local_blocks_.front().size() * sizeof(float));
}

}  // namespace mnistbench
