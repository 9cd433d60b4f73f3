#pragma once
// Data-parallel training: each step's batch is cut into contiguous shards,
// one per process (an MPI rank), every process computes the gradients of
// its own shards, and every process then sums all shards' gradients in
// shard order and applies the same update. Summing in a fixed order, after
// gathering every shard's gradients, rather than in whatever order a
// reduction happens to run, is what makes N processes give the same bits as
// one process computing the same shards one after another (InProcessShards),
// whatever N, the network or the timing.

#include <cstddef>
#include <span>
#include <string>

namespace mnistbench {

// Shards in one process (--shards): a check of what as many ranks compute,
// each shard holding two blocks of gradients.
inline constexpr int kMaxShards = 64;

// Rows [first, first + count) of a batch: shard s of n takes rows
// [s * size / n, (s + 1) * size / n), so shards differ by at most one row
// and a batch smaller than n leaves some shards empty.
struct ShardRows {
  int first = 0;
  int count = 0;
};
ShardRows shard_rows(int batch_size, int shard, int shards);

// out = all[0] + all[1] + ... + all[shards - 1], added in that order, where
// all holds shards blocks of out.size() values.
void sum_shards_in_order(std::span<const float> all, int shards, std::span<float> out);

class ShardGroup {
 public:
  virtual ~ShardGroup() = default;

  // How many shards each batch is cut into, and which of them this process
  // computes: [first_local(), first_local() + local_shards()).
  virtual int shards() const = 0;
  virtual int first_local() const = 0;
  virtual int local_shards() const = 0;
  // Processes in the group (MPI ranks), and this one's index: rank 0 alone
  // prints and writes files.
  virtual int processes() const = 0;
  virtual int rank() const = 0;

  // Every shard's block of values, in shard order, into all (shards() blocks
  // of local[i].size() values each), on every process; local holds one block
  // per local shard, in order.
  virtual void all_gather(std::span<const std::span<const float>> local, std::span<float> all) = 0;
  virtual void all_gather(std::span<const double> local, std::span<double> all) = 0;

  // Bytes this process sends to others for one all_gather of block_bytes
  // per shard: what a step's exchange costs the network.
  virtual double bytes_sent(std::size_t block_bytes) const = 0;
  // "1 process", "3 shards in one process", "MPI rank 0 of 2 (Open MPI v4.1.4)".
  virtual std::string describe() const = 0;

  bool sharded() const { return shards() > 1; }
};

// All shards in this process, one after another: one shard is plain
// training; n shards is what n ranks compute, for checking them against.
class InProcessShards final : public ShardGroup {
 public:
  explicit InProcessShards(int shards = 1) : shards_(shards) {}

  int shards() const override { return shards_; }
  int first_local() const override { return 0; }
  int local_shards() const override { return shards_; }
  int processes() const override { return 1; }
  int rank() const override { return 0; }
  void all_gather(std::span<const std::span<const float>> local, std::span<float> all) override;
  void all_gather(std::span<const double> local, std::span<double> all) override;
  double bytes_sent(std::size_t) const override { return 0; }
  std::string describe() const override;

 private:
  int shards_;
};

}  // namespace mnistbench
