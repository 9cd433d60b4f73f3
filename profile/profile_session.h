#pragma once
// One profiling run: the trainer's own loop (common/train/run.h, as `train` runs
// it: the same weights, batches and settings) driving a ProfilingBackend,
// which records every other step. So the per-op breakdown and the
// decorator's own overhead (recorded steps against plain ones, interleaved)
// come from one run on the same data and weights.

#include <atomic>
#include <functional>
#include <vector>

#include "common/train/run.h"
#include "profile/op_recorder.h"
#include "profile/profiling_backend.h"

namespace mnistbench {

struct ProfileSettings {
  RunSettings run;            // every `train` setting; the plan decides how many steps
  ProfilePlan plan;
};

struct ProfileRun {
  RunSummary training;        // the run as `train` reports it; its iterations are every step done
  bool fused = false;         // the backend's fused step ran, timed as one slice
  bool unfused = false;       // StepMode::unfused: the default composition ran instead
  bool interrupted = false;
  OpRecorder recorder;        // the measured recorded steps only
  std::vector<double> plain_step_seconds;     // bare backend (composed the same way)
  std::vector<double> profiled_step_seconds;  // through the decorator
  // Under --distributed with a trace: the other ranks' step and allreduce
  // slices, each rank's first step aligned with this one's.
  std::vector<RankSlice> other_ranks;

  // Recorded steps measured.
  int steps_done() const { return int(profiled_step_seconds.size()); }
  // Best profiled step over best plain step, minus 1. The best, because on
  // a shared machine noise only ever adds time: the medians of a few dozen
  // steps still move by several percent between runs, the best by well under one.
  double overhead() const;
  double best_plain_seconds() const;
  double best_profiled_seconds() const;
  double median_plain_seconds() const;
  double median_profiled_seconds() const;
};

// Reports progress as the trainer does (every log_every steps, plain and
// recorded alike); stops early, cleanly, when stop becomes true. Under
// --distributed every rank runs it (collectively) and rank 0 reports.
ProfileRun profile_training(Backend& backend, const TrainingData& data, const ProfileSettings& settings,
                            const std::function<void(const Progress&)>& report,
                            const std::atomic<bool>& stop);

}  // namespace mnistbench
