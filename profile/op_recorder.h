#pragma once
// Where the profiler puts what it measures: running totals per op (kind and
// layer), and optionally every call as a timed slice for the trace. All
// storage is set up before profiling starts; recording a call never
// allocates, so the profiler adds no allocator time (or page faults) to the
// step it measures.

#include <array>
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "common/model/cost_model.h"
#include "profile/op_kind.h"

namespace mnistbench {

using ProfileClock = std::chrono::steady_clock;

// Nanoseconds on the steady clock, the one time base of every slice.
inline std::int64_t profile_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ProfileClock::now().time_since_epoch()).count();
}

struct OpTotals {
  std::int64_t calls = 0;
  std::int64_t nanoseconds = 0;
  double flops = 0;
  double bytes = 0;
};

// One call: the sizes it was given (M, N, K for a product; rows, cols for a
// matrix op; n for an elementwise one; the batch for a step) and its cost.
struct OpEvent {
  OpId op;
  std::int64_t start_ns;
  std::int64_t end_ns;
  std::array<std::int64_t, 3> sizes;
  OpCost cost;
};

// A slice of another rank of a --distributed profile (its step or its
// allreduce), on this rank's clock: see gather_rank_slices.
struct RankSlice {
  int rank;
  OpKind kind;
  std::int64_t start_ns;
  std::int64_t end_ns;
};

class OpRecorder {
 public:
  // Clears everything, makes room for the ops of a network of this many
  // layers, and keeps room for event_capacity calls (0: totals only).
  void reset(int layers, std::size_t event_capacity);

  void record(OpId op, std::int64_t start_ns, std::int64_t end_ns, std::array<std::int64_t, 3> sizes,
              const OpCost& cost) noexcept {
    OpTotals& t = totals_[index(op)];
    ++t.calls;
    t.nanoseconds += end_ns - start_ns;
    t.flops += cost.flops;
    t.bytes += cost.bytes;
    // Within the reserved capacity push_back never reallocates; past it the
    // call still counts in the totals but gets no slice.
    if (events_.size() < events_.capacity())
      events_.push_back({op, start_ns, end_ns, sizes, cost});
    else
      ++events_dropped_;
  }

  int layers() const { return layers_; }
  const OpTotals& totals(OpId op) const { return totals_[index(op)]; }
  // Calls of every op together, the steps' slices included.
  std::int64_t calls() const;
  std::span<const OpEvent> events() const { return events_; }
  std::int64_t events_dropped() const { return events_dropped_; }

 private:
  std::size_t index(OpId op) const { return std::size_t(op.kind) * std::size_t(layers_ + 1) + std::size_t(op.layer); }

  int layers_ = 0;
  std::vector<OpTotals> totals_;  // kind-major, layers 0..L of each
  std::vector<OpEvent> events_;
  std::int64_t events_dropped_ = 0;
};

}  // namespace mnistbench
