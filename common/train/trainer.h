#pragma once
// The one training loop every backend runs: full-batch gradient descent as
// in the tutorial (the default), or mini-batch SGD reshuffled every epoch
// from the seed. Each step is the backend's compute_gradients, then its
// apply_update at the schedule's rate (after accumulate_momentum, with
// momentum); only those are timed. With a ShardGroup of several shards
// (common/distributed/) each step's batch is cut into them, and their
// gradients are gathered and summed before the update; that exchange is
// timed too, and also on its own.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "common/data/training_data.h"
#include "common/distributed/shard_group.h"
#include "common/model/backend.h"

namespace mnistbench {

// How the learning rate moves over a run.
enum class Schedule {
  constant,  // alpha at every step (the tutorial's)
  linear,    // from alpha at the first step down to alpha / total_steps at the last
};

const char* to_string(Schedule schedule);

struct TrainOptions {
  float alpha = 0.1f;
  Schedule schedule = Schedule::constant;
  float momentum = 0.0f;   // heavy-ball momentum in [0, 1); 0 is plain gradient descent
  int iterations = 500;    // full batch: the number of steps
  int batch_size = 0;      // 0: full batch; else mini-batch SGD for `epochs` epochs
  int epochs = 1;
  std::uint64_t seed = 42;
  int log_every = 10;      // report progress every this many steps (and at the last)

  bool full_batch() const { return batch_size == 0; }
};

// What the loop reports every log_every steps. loss and train_accuracy come
// from that step's own forward pass (before its update), on its batch.
struct Progress {
  std::int64_t step = 0;   // 1-based: steps done so far
  std::int64_t total_steps = 0;
  double loss = 0.0;
  double train_accuracy = 0.0;
  std::optional<double> dev_accuracy;  // absent without a dev split
  double elapsed_seconds = 0.0;        // wall time since training began, evaluation included
};

struct TrainingRun {
  std::int64_t steps_done = 0;
  std::int64_t total_steps = 0;
  bool interrupted = false;
  // The step whose forward pass first gave a probability that is not a
  // number (the loss is then NaN or infinite): training stops there.
  std::optional<std::int64_t> diverged_at_step;
  std::vector<double> step_seconds;    // time of each step (compute_gradients + apply_update)
  std::vector<double> exchange_seconds;  // with shards: each step's gathering and summing of gradients
  double bytes_sent_per_step = 0.0;      // to other processes, by this one
  double elapsed_seconds = 0.0;

  double median_step_seconds() const;
  double median_exchange_seconds() const;
};

// The first `rows` images of a split as one batch, as the backend reads it:
// the split's own bytes, plus a float copy (held here) made only for a
// backend whose input_form is floats. The full batch of a run, and the one
// batch the steady profiler repeats.
class ImageBatch {
 public:
  ImageBatch(const Dataset& images, int rows, bool floats);
  ImageBatch(const ImageBatch&) = delete;  // batch() points into x_
  ImageBatch& operator=(const ImageBatch&) = delete;

  const Batch& batch() const { return batch_; }

 private:
  AlignedVector<float> x_;
  Batch batch_;
};

// The learning rate of step (0-based) of total_steps under options' schedule.
float learning_rate(const TrainOptions& options, std::int64_t step, std::int64_t total_steps);

// Images per step on n training images.
int batch_size(const TrainOptions& options, int training_images);
// How many steps the options make on n training images.
std::int64_t total_steps(const TrainOptions& options, int training_images);

// Trains params (made by backend) in place, on group's shards of each batch.
// Stops early, cleanly, when stop becomes true (Ctrl-C) or when training
// diverges (on every process of the group at the same step: the summed
// gradients, which all of them hold, are what is checked).
TrainingRun train(Backend& backend, Parameters& params, const TrainingData& data,
                  const TrainOptions& options, ShardGroup& group,
                  const std::function<void(const Progress&)>& report, const std::atomic<bool>& stop);

}  // namespace mnistbench
