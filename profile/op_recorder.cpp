#include "profile/op_recorder.h"

namespace mnistbench {

void OpRecorder::reset(int layers, std::size_t event_capacity) {
  layers_ = layers;
  totals_.assign(kOpKindCount * std::size_t(layers + 1), OpTotals{});
  events_dropped_ = 0;
  // A fresh vector: reserve() alone never shrinks, and the capacity is the limit.
  events_ = std::vector<OpEvent>();
  events_.reserve(event_capacity);
}

std::int64_t OpRecorder::calls() const {
  std::int64_t calls = 0;
  for (const OpTotals& t : totals_) calls += t.calls;
  return calls;
}

}  // namespace mnistbench
