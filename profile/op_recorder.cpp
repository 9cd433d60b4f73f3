#include "profile/op_recorder.h"

namespace mnistbench {

void OpRecorder::reset(std::size_t event_capacity) {
  totals_ = {};
  events_dropped_ = 0;
  // A fresh vector: reserve() alone never shrinks, and the capacity is the limit.
  events_ = std::vector<OpEvent>();
  events_.reserve(event_capacity);
}

}  // namespace mnistbench
