#include "profile/profile_session.h"

#include <algorithm>

#include "common/train/median.h"

namespace mnistbench {

namespace {

double best(const std::vector<double>& values) {
  return values.empty() ? 0.0 : *std::min_element(values.begin(), values.end());
}

}  // namespace

double ProfileRun::median_plain_seconds() const { return median(plain_step_seconds); }
double ProfileRun::median_profiled_seconds() const { return median(profiled_step_seconds); }
double ProfileRun::best_plain_seconds() const { return best(plain_step_seconds); }
double ProfileRun::best_profiled_seconds() const { return best(profiled_step_seconds); }
double ProfileRun::overhead() const { return best_profiled_seconds() / best_plain_seconds() - 1.0; }

ProfileRun profile_training(Backend& backend, const TrainingData& data, const ProfileSettings& settings,
                            const std::function<void(const Progress&)>& report,
                            const std::atomic<bool>& stop) {
  ProfileRun run;
  ProfilingBackend profiled(backend, settings.run.network, run.recorder, settings.plan, stop);
  run.fused = profiled.fused();
  run.unfused = settings.plan.mode == StepMode::unfused;

  // Enough steps for the plan, as full-batch iterations or within enough
  // epochs of mini-batches; the decorator stops the trainer after the last.
  RunSettings training = settings.run;
  const std::int64_t steps = settings.plan.total_steps();
  training.train.iterations = int(steps);
  if (!training.train.full_batch()) {
    TrainOptions one_epoch = training.train;
    one_epoch.epochs = 1;
    const std::int64_t per_epoch = total_steps(one_epoch, data.train.count);
    training.train.epochs = int((steps + per_epoch - 1) / per_epoch);
  }
  const auto report_plan = [&](const Progress& progress) {
    Progress of_plan = progress;
    of_plan.total_steps = steps;
    if (report) report(of_plan);
  };
  run.training = run_training(profiled, data, training, report_plan, profiled.finished());

  run.interrupted = stop.load() && run.training.iterations < steps;
  run.plain_step_seconds = profiled.plain_step_seconds();
  run.profiled_step_seconds = profiled.recorded_step_seconds();
  return run;
}

}  // namespace mnistbench
