#include "profile/profile_session.h"

#include <algorithm>

#include "common/metrics.h"
#include "common/npy.h"
#include "profile/fused_steps.h"

namespace mnistbench {

namespace {

double median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2) return values[mid];
  return (values[mid] + *std::max_element(values.begin(), values.begin() + mid)) / 2;
}

double best(const std::vector<double>& values) {
  return values.empty() ? 0.0 : *std::min_element(values.begin(), values.end());
}

double seconds_between(std::int64_t start_ns, std::int64_t end_ns) { return double(end_ns - start_ns) * 1e-9; }

// What every step works on: the weights as `train` starts them, their
// gradients, a workspace for the batch, and the batches in turn.
class Steps {
 public:
  Steps(const TrainingData& data, const RunSettings& settings)
      : images_(data.train),
        shape_{images_.inputs, settings.hidden},
        batch_size_(settings.train.full_batch() ? images_.count
                                                : std::min(settings.train.batch_size, images_.count)),
        alpha_(settings.train.alpha),
        params_(shape_),
        grads_(shape_),
        ws_(shape_, batch_size_) {
    if (settings.init_from.empty())
      initialise(params_, settings.init, settings.train.seed);
    else
      load_parameters(settings.init_from, params_);
    // As `train` writes them, so a peer can start from the weights profiled.
    if (!settings.save_initial.empty()) {
      save_parameters(settings.save_initial, params_);
      const std::vector<std::int64_t> order(data.split_order.begin(), data.split_order.end());
      save_npy(settings.save_initial / "split.npy", order.data(), {int(order.size())});
    }
  }

  const NetworkShape& shape() const { return shape_; }
  int batch_size() const { return batch_size_; }
  const Parameters& params() const { return params_; }
  Workspace& workspace() { return ws_; }
  const Batch& last_batch() const { return batch_; }

  // One training step on the next batch; returns its wall time, in seconds.
  // composed runs the default composition of the backend's ops even where it
  // fuses its own step, to compare like with like under StepMode::unfused
  // (a fused forward() of its own would still run: no backend has one yet).
  double run(Backend& backend, bool composed = false) {
    // Whole batches only, so that every step has the same size.
    if (next_ + batch_size_ > images_.count) next_ = 0;
    const std::size_t offset = std::size_t(next_) * images_.inputs;
    batch_ = {images_.x.data() + offset, images_.pixels.data() + offset, images_.labels.data() + next_, batch_size_};
    next_ += batch_size_;
    const std::int64_t start = profile_now_ns();
    if (composed)
      backend.Backend::train_step(params_, grads_, batch_, ws_, alpha_);
    else
      backend.train_step(params_, grads_, batch_, ws_, alpha_);
    return seconds_between(start, profile_now_ns());
  }

 private:
  const LabelledImages& images_;
  NetworkShape shape_;
  int batch_size_;
  float alpha_;
  Parameters params_;
  Parameters grads_;
  Workspace ws_;
  Batch batch_;
  int next_ = 0;
};

}  // namespace

double ProfileRun::median_plain_seconds() const { return median(plain_step_seconds); }
double ProfileRun::median_profiled_seconds() const { return median(profiled_step_seconds); }
double ProfileRun::best_plain_seconds() const { return best(plain_step_seconds); }
double ProfileRun::best_profiled_seconds() const { return best(profiled_step_seconds); }
double ProfileRun::overhead() const { return best_profiled_seconds() / best_plain_seconds() - 1.0; }

ProfileRun profile_training(Backend& backend, const TrainingData& data, const ProfileSettings& settings,
                            const std::function<void(const Progress&)>& report,
                            const std::atomic<bool>& stop) {
  if (settings.run.threads > 0) backend.set_threads(settings.run.threads);
  Steps steps(data, settings.run);
  ProfileRun run;
  run.backend = std::string(backend.name());
  run.info = backend.info();
  run.full_batch = settings.run.train.full_batch();
  run.shape = steps.shape();
  run.batch_size = steps.batch_size();
  ProfilingBackend profiled(backend, steps.shape(), run.recorder, settings.mode);
  run.fuses_forward = overrides_forward(backend);
  run.fuses_train_step = overrides_train_step(backend);
  run.unfused = settings.mode == StepMode::unfused;

  // Warm-up, one of each, unmeasured: first touches of the workspace, the
  // backend's own lazy set-up, and the number of calls a step makes, which
  // sizes the event storage before any measured step.
  const bool composed = run.unfused;
  run.recorder.reset(0);
  steps.run(backend, composed);
  steps.run(profiled);
  run.steps_trained = 2;
  std::int64_t calls_per_step = 0;
  for (std::size_t kind = 0; kind < kOpKindCount; ++kind) calls_per_step += run.recorder.totals(OpKind(kind)).calls;
  run.recorder.reset(settings.keep_events ? std::size_t(calls_per_step) * settings.steps : 0);
  run.plain_step_seconds.reserve(settings.steps);
  run.profiled_step_seconds.reserve(settings.steps);

  Workspace eval_ws(steps.shape(), std::max(1, std::min(data.dev.count, 1000)));
  const std::int64_t start = profile_now_ns();
  for (int step = 0; step < settings.steps && !stop.load(std::memory_order_relaxed); ++step) {
    // Alternating which goes first, so neither kind always runs right after the other.
    if (step % 2 == 0) run.plain_step_seconds.push_back(steps.run(backend, composed));
    run.profiled_step_seconds.push_back(steps.run(profiled));
    if (step % 2 == 1) run.plain_step_seconds.push_back(steps.run(backend, composed));
    run.steps_done = step + 1;
    run.steps_trained += 2;

    const bool last = run.steps_done == settings.steps;
    if (report && (run.steps_done % settings.run.train.log_every == 0 || last)) {
      const Batch& batch = steps.last_batch();
      const Evaluation on_batch = evaluate_probabilities(steps.workspace().probabilities.data(), batch.labels,
                                                         batch.size, steps.shape().outputs);
      Progress progress{run.steps_done, settings.steps, on_batch.loss, on_batch.accuracy, {}, 0.0};
      // Through the bare backend: evaluation is not part of the profile.
      if (data.dev.count > 0) progress.dev_accuracy = evaluate(backend, steps.params(), data.dev, eval_ws).accuracy;
      progress.elapsed_seconds = seconds_between(start, profile_now_ns());
      report(progress);
    }
  }
  run.interrupted = run.steps_done < settings.steps;
  if (!settings.run.save_weights.empty()) save_parameters(settings.run.save_weights, steps.params());
  return run;
}

std::int64_t run_steady(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        double tick_seconds, const std::function<void(const SteadyTick&)>& tick,
                        const std::atomic<bool>& stop) {
  if (settings.threads > 0) backend.set_threads(settings.threads);
  Steps steps(data, settings);
  std::int64_t done = 0, since_tick = 0;
  double seconds_since_tick = 0.0;
  while (!stop.load(std::memory_order_relaxed)) {
    seconds_since_tick += steps.run(backend);
    ++done;
    ++since_tick;
    if (seconds_since_tick >= tick_seconds) {
      tick({done, seconds_since_tick / double(since_tick)});
      since_tick = 0;
      seconds_since_tick = 0.0;
    }
  }
  return done;
}

}  // namespace mnistbench
