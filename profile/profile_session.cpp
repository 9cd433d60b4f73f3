#include "profile/profile_session.h"

#include <algorithm>
#include <array>

#include "common/distributed/mpi_world.h"
#include "common/stats/statistics.h"

namespace mnistbench {

namespace {

double best(const std::vector<double>& values) {
  return values.empty() ? 0.0 : *std::min_element(values.begin(), values.end());
}

// Each rank's recorded steps and their allreduce slices, gathered on every
// rank: the plan fixes how many each has, so the blocks are of one size.
// Clocks of different hosts differ, so each rank's slices are moved to
// start its first recorded step when this rank starts its own (on one host
// they already agree to within the exchange's wait).
std::vector<RankSlice> gather_rank_slices(const OpRecorder& recorder, ShardGroup& group, int recorded_steps) {
  constexpr std::array<OpKind, 2> kinds = {OpKind::step, OpKind::allreduce};
  const std::size_t per_step = 2 * kinds.size();  // start, end of each kind
  std::vector<double> mine(per_step * std::size_t(recorded_steps), 0.0);
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    std::size_t step = 0;
    for (const OpEvent& e : recorder.events())
      if (e.op.kind == kinds[k] && step < std::size_t(recorded_steps)) {
        mine[step * per_step + 2 * k] = double(e.start_ns);
        mine[step * per_step + 2 * k + 1] = double(e.end_ns);
        ++step;
      }
  }
  std::vector<double> all(mine.size() * std::size_t(group.processes()));
  group.all_gather(mine, all);

  std::vector<RankSlice> slices;
  for (int rank = 0; rank < group.processes(); ++rank) {
    if (rank == group.rank()) continue;
    const double* theirs = all.data() + std::size_t(rank) * mine.size();
    const double shift = mine[0] - theirs[0];
    for (std::size_t step = 0; step < std::size_t(recorded_steps); ++step)
      for (std::size_t k = 0; k < kinds.size(); ++k) {
        const double start = theirs[step * per_step + 2 * k], end = theirs[step * per_step + 2 * k + 1];
        if (end > start)
          slices.push_back({rank, kinds[k], std::int64_t(start + shift), std::int64_t(end + shift)});
      }
  }
  return slices;
}

}  // namespace

double ProfileRun::median_plain_seconds() const { return median_or_zero(plain_step_seconds); }
double ProfileRun::median_profiled_seconds() const { return median_or_zero(profiled_step_seconds); }
double ProfileRun::best_plain_seconds() const { return best(plain_step_seconds); }
double ProfileRun::best_profiled_seconds() const { return best(profiled_step_seconds); }
double ProfileRun::overhead() const { return best_profiled_seconds() / best_plain_seconds() - 1.0; }

ProfileRun profile_training(Backend& backend, const TrainingData& data, const ProfileSettings& settings,
                            const std::function<void(const Progress&)>& report,
                            const std::atomic<bool>& stop) {
  ProfileRun run;
  InProcessShards here(settings.run.shards);
  ShardGroup& group = settings.run.distributed ? join_mpi_world() : here;
  ProfilePlan plan = settings.plan;
  plan.shards = group.shards();
  ProfilingBackend profiled(backend, settings.run.network, run.recorder, plan, stop);
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
  run.training = run_training(profiled, data, training, group, report_plan, profiled.finished());

  run.interrupted = stop.load() && run.training.iterations < steps;
  run.plain_step_seconds = profiled.plain_step_seconds();
  run.profiled_step_seconds = profiled.recorded_step_seconds();
  if (group.processes() > 1 && plan.keep_events)
    run.other_ranks = gather_rank_slices(run.recorder, group, plan.recorded_steps);
  return run;
}

}  // namespace mnistbench
