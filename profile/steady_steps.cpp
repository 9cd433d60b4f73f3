#include "profile/steady_steps.h"

#include <chrono>

namespace mnistbench {

std::int64_t run_steady(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        double tick_seconds, const std::function<void(const SteadyTick&)>& tick,
                        const std::atomic<bool>& stop) {
  const NetworkShape& shape = settings.network;
  const Dataset& images = data.train;
  const int m = batch_size(settings.train, images.count);
  Parameters params = start_run(backend, settings, images).params;
  Parameters grads = backend.make_parameters(shape);
  Workspace ws = backend.make_workspace(shape, m);
  const ImageBatch one_batch(images, m, backend.input_form(shape) == InputForm::floats);
  const Batch& batch = one_batch.batch();

  using Clock = std::chrono::steady_clock;
  std::int64_t done = 0, since_tick = 0;
  Clock::time_point tick_start = Clock::now();
  while (!stop.load(std::memory_order_relaxed)) {
    backend.train_step(params, grads, batch, ws, settings.train.alpha);
    ++done;
    ++since_tick;
    const double seconds = std::chrono::duration<double>(Clock::now() - tick_start).count();
    if (seconds >= tick_seconds) {
      tick({done, seconds / double(since_tick)});
      since_tick = 0;
      tick_start = Clock::now();
    }
  }
  return done;
}

}  // namespace mnistbench
