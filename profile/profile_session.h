#pragma once
// One profiling run: training steps of one backend, every other one through
// the ProfilingBackend, so that the per-op breakdown and the decorator's own
// overhead (profiled against plain steps, interleaved) come from one run on
// the same data and weights. And the steady mode for external profilers.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/run.h"
#include "profile/op_recorder.h"
#include "profile/profiling_backend.h"

namespace mnistbench {

struct ProfileSettings {
  RunSettings run;            // every `train` setting; iterations and epochs are replaced by steps
  int steps = 20;             // profiled steps (as many plain steps run between them)
  StepMode mode = StepMode::as_backend_runs;
  bool keep_events = false;   // keep every call as a slice, for a trace
};

struct ProfileRun {
  std::string backend;
  BackendInfo info;
  NetworkShape shape;
  int batch_size = 0;
  bool full_batch = true;
  int steps_done = 0;         // profiled steps
  int steps_trained = 0;      // every step that updated the weights: warm-up, plain and profiled
  bool interrupted = false;
  bool fuses_forward = false;     // the backend has its own forward()
  bool fuses_train_step = false;  // the backend has its own train_step()
  bool unfused = false;           // StepMode::unfused: the default composition ran instead
  OpRecorder recorder;        // the profiled steps only
  std::vector<double> plain_step_seconds;     // bare backend (composed the same way), timed by the loop
  std::vector<double> profiled_step_seconds;  // through the decorator, timed by the loop

  // Best profiled step over best plain step, minus 1. The best, because on
  // a shared machine noise only ever adds time: the medians of a few dozen
  // steps still move by several percent between runs, the best by well under one.
  double overhead() const;
  double best_plain_seconds() const;
  double best_profiled_seconds() const;
  double median_plain_seconds() const;
  double median_profiled_seconds() const;
};

// Mini-batches (--batch-size > 0) are consecutive slices of the training
// split, which the seed already shuffled: profiling measures the step, and
// the step does not depend on the order. Reports progress every log_every
// profiled steps; stops early, cleanly, when stop becomes true.
ProfileRun profile_training(Backend& backend, const TrainingData& data, const ProfileSettings& settings,
                            const std::function<void(const Progress&)>& report,
                            const std::atomic<bool>& stop);

struct SteadyTick {
  std::int64_t steps = 0;           // since the start
  double seconds_per_step = 0.0;    // mean since the previous tick
};

// Plain steps of the bare backend, nothing wrapped, until stop becomes true,
// so that an external profiler sees only the backend. Calls tick every
// tick_seconds. Returns the number of steps done.
std::int64_t run_steady(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        double tick_seconds, const std::function<void(const SteadyTick&)>& tick,
                        const std::atomic<bool>& stop);

}  // namespace mnistbench
