#include "common/trainer.h"

#include <algorithm>
#include <chrono>

#include "common/metrics.h"
#include "common/random.h"

namespace mnistbench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Copies the images of one mini-batch, in the epoch's order, into fixed buffers.
class BatchGatherer {
 public:
  BatchGatherer(const LabelledImages& images, int batch_size)
      : images_(images),
        x_(std::size_t(batch_size) * images.inputs),
        pixels_(std::size_t(batch_size) * images.inputs),
        labels_(batch_size) {}

  Batch gather(const std::vector<std::uint32_t>& order, std::size_t first, int size) {
    const std::size_t n = std::size_t(images_.inputs);
    for (int i = 0; i < size; ++i) {
      const std::size_t source = order[first + i];
      std::copy_n(images_.x.data() + source * n, n, x_.data() + i * n);
      std::copy_n(images_.pixels.data() + source * n, n, pixels_.data() + i * n);
      labels_[i] = images_.labels[source];
    }
    return {x_.data(), pixels_.data(), labels_.data(), size};
  }

 private:
  const LabelledImages& images_;
  AlignedVector<float> x_;
  std::vector<std::uint8_t> pixels_;
  std::vector<std::uint8_t> labels_;
};

}  // namespace

double TrainingRun::median_step_seconds() const {
  if (step_seconds.empty()) return 0.0;
  std::vector<double> sorted = step_seconds;
  const std::size_t mid = sorted.size() / 2;
  std::nth_element(sorted.begin(), sorted.begin() + mid, sorted.end());
  if (sorted.size() % 2) return sorted[mid];
  return (sorted[mid] + *std::max_element(sorted.begin(), sorted.begin() + mid)) / 2;
}

int total_steps(const TrainOptions& options, int training_images) {
  if (options.full_batch()) return options.iterations;
  const int per_epoch = (training_images + options.batch_size - 1) / options.batch_size;
  return per_epoch * options.epochs;
}

TrainingRun train(Backend& backend, Parameters& params, const TrainingData& data,
                  const TrainOptions& options, const std::function<void(const Progress&)>& report,
                  const std::atomic<bool>& stop) {
  const LabelledImages& images = data.train;
  const NetworkShape& shape = params.shape();
  const int batch_size = options.full_batch() ? images.count : std::min(options.batch_size, images.count);

  TrainingRun run;
  run.total_steps = total_steps(options, images.count);
  run.step_seconds.reserve(run.total_steps);
  Parameters grads(shape);
  Workspace ws(shape, batch_size);
  // Dev accuracy is measured in chunks through a small workspace of its own.
  Workspace eval_ws(shape, std::max(1, std::min(data.dev.count, 1000)));

  Random shuffle(options.seed, kShuffleStream);
  std::vector<std::uint32_t> order;
  BatchGatherer gatherer(images, options.full_batch() ? 0 : batch_size);
  const Batch full{images.x.data(), images.pixels.data(), images.labels.data(), images.count};

  const Clock::time_point start = Clock::now();
  for (int step = 0; step < run.total_steps && !stop.load(std::memory_order_relaxed); ++step) {
    Batch batch = full;
    if (!options.full_batch()) {
      const int per_epoch = (images.count + batch_size - 1) / batch_size;
      const int index_in_epoch = step % per_epoch;
      if (index_in_epoch == 0) order = shuffled_indices(std::size_t(images.count), shuffle);
      const std::size_t first = std::size_t(index_in_epoch) * batch_size;
      batch = gatherer.gather(order, first, std::min<int>(batch_size, images.count - int(first)));
    }

    const Clock::time_point step_start = Clock::now();
    backend.train_step(params, grads, batch, ws, options.alpha);
    run.step_seconds.push_back(seconds_since(step_start));
    run.steps_done = step + 1;

    const bool last = run.steps_done == run.total_steps;
    if (report && (run.steps_done % options.log_every == 0 || last)) {
      const Evaluation on_batch = evaluate_probabilities(ws.probabilities.data(), batch.labels,
                                                         batch.size, shape.outputs);
      Progress progress{run.steps_done, run.total_steps, on_batch.loss, on_batch.accuracy, {}, 0.0};
      if (data.dev.count > 0) progress.dev_accuracy = evaluate(backend, params, data.dev, eval_ws).accuracy;
      progress.elapsed_seconds = seconds_since(start);
      report(progress);
    }
  }
  run.elapsed_seconds = seconds_since(start);
  run.interrupted = run.steps_done < run.total_steps;
  return run;
}

}  // namespace mnistbench
