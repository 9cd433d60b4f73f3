#pragma once
// Steps for an external profiler (perf, callgrind): the bare backend, nothing
// wrapped, one batch over and over until Ctrl-C. Not the trainer's loop on
// purpose: no evaluation, batch gathering or divergence check between steps,
// so that the profiler sees the step and nothing else.

#include <atomic>
#include <cstdint>
#include <functional>

#include "common/train/run.h"

namespace mnistbench {

struct SteadyTick {
  std::int64_t steps = 0;           // since the start
  double seconds_per_step = 0.0;    // mean since the previous tick
};

// Steps on the first batch-size images of the training split (all of them
// at full batch) from the weights `train` would start with, until stop
// becomes true. Calls tick every tick_seconds; returns the number of steps done.
std::int64_t run_steady(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        double tick_seconds, const std::function<void(const SteadyTick&)>& tick,
                        const std::atomic<bool>& stop);

}  // namespace mnistbench
