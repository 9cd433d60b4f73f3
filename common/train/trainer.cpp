#include "common/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "common/distributed/sharded_gradients.h"
#include "common/stats/statistics.h"
#include "common/train/metrics.h"
#include "common/train/random.h"

namespace mnistbench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A run's mini-batches, each copied in the epoch's order into fixed
// buffers, with floats made per mini-batch only for a backend that asks.
class MiniBatches {
  static constexpr std::size_t kCacheLine = 64;

 public:
  MiniBatches(const Dataset& images, int batch_size, bool floats)
      : images_(images),
        floats_(floats),
        pixels_(std::size_t(batch_size) * images.image_size()),
        labels_(std::size_t(batch_size)) {
    if (floats) x_.resize(pixels_.size());
  }

  Batch gather(const std::vector<std::uint32_t>& order, std::size_t first, int size) {
    const std::size_t n = std::size_t(images_.image_size());
    for (int i = 0; i < size; ++i) {
      const std::size_t source = order[first + i];
      std::copy_n(images_.pixels.data() + source * n, n, pixels_.data() + i * n);
      labels_[i] = images_.labels[source];
    }
    // The images are read in shuffled order, each from a place in memory the
    // hardware prefetchers cannot guess: ask for the next batch's now, so
    // that they arrive while this batch's step computes.
    const std::size_t next_end = std::min(order.size(), first + 2 * std::size_t(size));
    for (std::size_t i = first + size; i < next_end; ++i) {
      const std::uint8_t* image = images_.pixels.data() + order[i] * n;
      for (std::size_t byte = 0; byte < n; byte += kCacheLine) __builtin_prefetch(image + byte);
      __builtin_prefetch(image + n - 1);  // an image not aligned to a line ends in one more
    }
    if (floats_) scale_pixels(pixels_.data(), std::size_t(size) * n, x_.data());
    return {pixels_.data(), floats_ ? x_.data() : nullptr, labels_.data(), size};
  }

 private:
  const Dataset& images_;
  bool floats_;
  std::vector<std::uint8_t> pixels_;
  std::vector<std::uint8_t> labels_;
  AlignedVector<float> x_;
};

// The step's update through the common interface: the schedule's learning
// rate, along the gradient or, with momentum, along the velocity it keeps.
void update(Backend& backend, Parameters& params, const Parameters& grads, std::optional<Parameters>& velocity,
            const TrainOptions& options, std::int64_t step, std::int64_t total_steps) {
  const float alpha = learning_rate(options, step, total_steps);
  if (!velocity) return backend.apply_update(params, grads, alpha);
  backend.accumulate_momentum(*velocity, grads, options.momentum);
  backend.apply_update(params, *velocity, alpha);
}

}  // namespace

const char* to_string(Schedule schedule) { return schedule == Schedule::constant ? "constant" : "linear"; }

float learning_rate(const TrainOptions& options, std::int64_t step, std::int64_t total_steps) {
  if (options.schedule == Schedule::constant) return options.alpha;
  // In double, so that the step's fraction is exact to float's precision for any run length.
  return float(double(options.alpha) * double(total_steps - step) / double(total_steps));
}

ImageBatch::ImageBatch(const Dataset& images, int rows, bool floats) {
  const std::size_t n = std::size_t(rows) * images.image_size();
  if (floats) {
    x_.resize(n);
    scale_pixels(images.pixels.data(), n, x_.data());
  }
  batch_ = {images.pixels.data(), floats ? x_.data() : nullptr, images.labels.data(), rows};
}

double TrainingRun::median_step_seconds() const { return median_or_zero(step_seconds); }
double TrainingRun::median_exchange_seconds() const { return median_or_zero(exchange_seconds); }

int batch_size(const TrainOptions& options, int training_images) {
  return options.full_batch() ? training_images : std::min(options.batch_size, training_images);
}

std::int64_t total_steps(const TrainOptions& options, int training_images) {
  if (options.full_batch()) return options.iterations;
  const std::int64_t size = batch_size(options, training_images);
  const std::int64_t per_epoch = (training_images + size - 1) / size;
  return per_epoch * options.epochs;
}

TrainingRun train(Backend& backend, Parameters& params, const TrainingData& data,
                  const TrainOptions& options, ShardGroup& group,
                  const std::function<void(const Progress&)>& report, const std::atomic<bool>& stop) {
  const Dataset& images = data.train;
  const NetworkShape& shape = params.shape();
  const int size = batch_size(options, images.count);

  TrainingRun run;
  run.total_steps = total_steps(options, images.count);
  Parameters grads = backend.make_parameters(shape);
  ShardedGradients gradients(backend, shape, group, size);
  run.bytes_sent_per_step = gradients.bytes_sent_per_step();
  // Zero, as momentum starts: one more copy of the parameters, made only for momentum.
  std::optional<Parameters> velocity;
  if (options.momentum > 0) velocity = backend.make_parameters(shape);
  // Dev accuracy is measured in chunks through a small workspace of its own.
  Workspace eval_ws = backend.make_workspace(shape, std::max(1, std::min(data.dev.count, 1000)));

  Random shuffle(options.seed, kShuffleStream);
  std::vector<std::uint32_t> order;
  const bool floats = backend.input_form(shape) == InputForm::floats;
  // The full batch's float copy, if any, only when the run trains on it.
  const ImageBatch full(images, options.full_batch() ? images.count : 0, floats);
  MiniBatches mini_batches(images, options.full_batch() ? 0 : size, floats);
  const std::int64_t per_epoch = (images.count + size - 1) / size;

  const Clock::time_point start = Clock::now();
  for (std::int64_t step = 0; step < run.total_steps && !stop.load(std::memory_order_relaxed); ++step) {
    Batch batch = full.batch();
    if (!options.full_batch()) {
      const std::int64_t index_in_epoch = step % per_epoch;
      if (index_in_epoch == 0) order = shuffled_indices(std::size_t(images.count), shuffle);
      const std::size_t first = std::size_t(index_in_epoch) * size;
      batch = mini_batches.gather(order, first, std::min<int>(size, images.count - int(first)));
    }

    const Clock::time_point step_start = Clock::now();
    gradients.compute(params, batch, grads, 1.0f / float(batch.size));
    update(backend, params, grads, velocity, options, step, run.total_steps);
    run.step_seconds.push_back(seconds_since(step_start));
    if (group.sharded()) run.exchange_seconds.push_back(gradients.last_exchange_seconds());
    run.steps_done = step + 1;
    // Outside the timed step: a learning rate too large shows here within a
    // step or two. The last layer's bias gradient is the column sums of the
    // probabilities minus the one-hot labels, so a probability that is not
    // a number makes it NaN; every rank holds the same summed one, so all
    // stop at the same step. A handful of floats: checking every gradient
    // instead took a fifth of a 12-image step (the race's).
    const float* last_bias = grads.bias(shape.layers());
    if (!std::all_of(last_bias, last_bias + shape.outputs(), [](float g) { return std::isfinite(g); })) {
      run.diverged_at_step = run.steps_done;
      break;
    }

    const bool last = run.steps_done == run.total_steps;
    if (report && (run.steps_done % options.log_every == 0 || last)) {
      const Evaluation on_batch = gradients.evaluate_last_batch();
      Progress progress{run.steps_done, run.total_steps, on_batch.loss, on_batch.accuracy, {}, 0.0};
      if (data.dev.count > 0) progress.dev_accuracy = evaluate(backend, params, data.dev, eval_ws).accuracy;
      progress.elapsed_seconds = seconds_since(start);
      report(progress);
    }
  }
  run.elapsed_seconds = seconds_since(start);
  run.interrupted = run.steps_done < run.total_steps && !run.diverged_at_step;
  return run;
}

}  // namespace mnistbench
