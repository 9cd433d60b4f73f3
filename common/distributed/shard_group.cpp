#include "common/distributed/shard_group.h"

#include <algorithm>
#include <cstdint>

namespace mnistbench {

ShardRows shard_rows(int batch_size, int shard, int shards) {
  const auto boundary = [&](int s) { return int(std::int64_t(s) * batch_size / shards); };
  return {boundary(shard), boundary(shard + 1) - boundary(shard)};
}

void sum_shards_in_order(std::span<const float> all, int shards, std::span<float> out) {
  const std::size_t n = out.size();
  std::copy_n(all.begin(), n, out.begin());
  for (int s = 1; s < shards; ++s) {
    const float* block = all.data() + std::size_t(s) * n;
    for (std::size_t i = 0; i < n; ++i) out[i] += block[i];
  }
}

void InProcessShards::all_gather(std::span<const std::span<const float>> local, std::span<float> all) {
  auto out = all.begin();
  for (std::span<const float> block : local) out = std::copy(block.begin(), block.end(), out);
}

void InProcessShards::all_gather(std::span<const double> local, std::span<double> all) {
  std::copy(local.begin(), local.end(), all.begin());
}

std::string InProcessShards::describe() const {
  return shards_ == 1 ? "1 process" : std::to_string(shards_) + " shards in one process";
}

}  // namespace mnistbench
