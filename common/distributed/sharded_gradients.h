#pragma once
// A step's gradients on a ShardGroup's shards of a batch: the backend's
// compute_gradients on each local shard, then every shard's gradients
// gathered and summed in shard order (shard_group.h says why in that order).
// With one shard it is the backend's compute_gradients and nothing else.

#include <optional>
#include <vector>

#include "common/distributed/shard_group.h"
#include "common/model/backend.h"
#include "common/train/metrics.h"

namespace mnistbench {

class ShardedGradients {
 public:
  // For batches of up to max_batch samples. backend and group must outlive this.
  ShardedGradients(Backend& backend, const NetworkShape& shape, ShardGroup& group, int max_batch);

  // grads = the whole batch's gradients, every sample's scaled by scale.
  // On every process of the group, the same call on the same step.
  void compute(const Parameters& params, const Batch& batch, Parameters& grads, float scale);

  // Loss and accuracy of the last compute's forward pass over the whole
  // batch, every shard's included. With shards, a collective call too.
  Evaluation evaluate_last_batch();

  // Wall time of the last compute's gather and sum; 0 without shards.
  double last_exchange_seconds() const { return exchange_seconds_; }
  // What this process sends other processes per step.
  double bytes_sent_per_step() const;

 private:
  struct LocalShard {
    Workspace ws;
    std::optional<Parameters> grads;  // none with one shard: the caller's grads take its place
    Batch rows;        // of the last batch
  };

  Backend& backend_;
  ShardGroup& group_;
  int classes_;
  std::vector<LocalShard> shards_;
  std::vector<std::span<const float>> local_blocks_;
  std::vector<float> all_grads_;     // shards() blocks of the flat gradient block
  std::vector<double> local_totals_; // per local shard: summed loss, correct count
  std::vector<double> all_totals_;
  int last_batch_size_ = 0;
  double exchange_seconds_ = 0.0;
};

}  // namespace mnistbench
