// mnistbench profile: where one backend's training step spends its time, op
// by op, against this machine's measured limits; a Chrome trace on request;
// or steps without end for an external profiler (--steady).

#include <fmt/core.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include "cli/backend_option.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/limits_report.h"
#include "cli/profile_report.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/run_options.h"
#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"
#include "common/model/registry.h"
#include "common/train/run_limits.h"
#include "cli/output_paths.h"
#include "profile/chrome_trace.h"
#include "profile/steady_steps.h"

namespace mnistbench {

namespace {

struct ProfileOptions {
  std::string backend = "naive";
  RunOptions run;
  int steps = 20;
  std::string trace_path;
  std::string limits_path;
  bool steady = false;
  bool unfused = false;
};

constexpr double kSteadyTickSeconds = 5.0;

// Bare steps until Ctrl-C, a line every few seconds: nothing else in the process to profile.
int run_steady_mode(Backend& backend, const TrainingData& data, const RunSettings& settings,
                    const std::atomic<bool>& stop) {
  fmt::print("steady: {} steps until Ctrl-C, a line every {:.0f} s of steps (pid {})\n", backend.name(),
             kSteadyTickSeconds, ::getpid());
  std::fflush(stdout);
  const auto tick = [](const SteadyTick& tick) {
    fmt::print("steady: {} steps, {:.3f} ms/step since the last line\n", tick.steps, tick.seconds_per_step * 1e3);
    std::fflush(stdout);
  };
  const std::int64_t steps = run_steady(backend, data, settings, kSteadyTickSeconds, tick, stop);
  fmt::print("steady: stopped after {} steps\n", steps);
  return 0;
}

void write_trace(const std::string& path, const ProfileRun& run) {
  if (process_rank() != 0) return;  // rank 0 alone writes files
  std::ofstream out(path);
  out << chrome_trace(run.recorder, "mnistbench profile " + run.training.backend, run.other_ranks).dump() << '\n';
  if (!out) throw UsageError("--trace: cannot write " + path);
  fmt::print("trace: {} slices in {} (open in ui.perfetto.dev or chrome://tracing)\n", run.recorder.events().size(),
             path);
  if (run.recorder.events_dropped() > 0)
    fmt::print("trace: {} calls beyond the storage sized at warm-up have no slice\n", run.recorder.events_dropped());
}

}  // namespace

CommandAction add_profile_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "profile", "Profile one backend's training step: time, GFLOP/s and GB/s per op against this machine's\n"
                 "measured limits, and the decorator's own overhead; --trace writes a Chrome trace");
  auto o = std::make_shared<ProfileOptions>();
  command->add_option("--backend", o->backend, "Backend to profile (see `mnistbench list`)")
      ->capture_default_str()->check(backend_name_validator());
  add_run_options(*command, o->run);
  // --steps takes their place here, so --help shows no option that does nothing.
  command->remove_option(command->get_option("--iterations"));
  command->remove_option(command->get_option("--epochs"));
  command->add_option("--steps", o->steps, "Profiled steps, each beside a plain one")
      ->capture_default_str()->check(CLI::Range(1, int((kMaxSteps - ProfilePlan::kWarmUpSteps) / 2)));
  CLI::Option* trace =
      command->add_option("--trace", o->trace_path, "Write a Chrome trace-event JSON of the profiled steps");
  command->add_option("--limits", o->limits_path,
                      "Take the machine's limits from `machine --json` output instead of probing");
  command->add_flag("--unfused", o->unfused,
                    "For a backend with its own fused step: profile the default composition of its ops instead\n"
                    "(float32 only: the fine ops have no lower precision)");
  command->add_flag("--steady", o->steady,
                    "Run plain steps of the bare backend until Ctrl-C, for an external profiler\n"
                    "(perf, callgrind); no probe, breakdown, trace or saved weights")
      ->excludes(trace)->excludes(command->get_option("--json"))
      ->excludes(command->get_option("--save-weights"))->excludes(command->get_option("--save-initial-weights"))
      ->excludes(command->get_option("--distributed"))->excludes(command->get_option("--shards"));

  return [o] {
    const RunSettings settings = o->run.resolved();
    if (o->unfused && settings.precision != Precision::fp32)
      throw UsageError("--unfused: the default composition runs the fine ops in float32; profile --precision " +
                       std::string(precision_key(settings.precision)) + " without --unfused");
    check_output_file("--trace", o->trace_path);
    const std::atomic<bool>& stop = stop_on_interrupt();
    std::unique_ptr<Backend> backend = make_backend(o->backend);
    backend->set_threads(settings.threads);
    select_precision(*backend, settings.precision, settings.network);
    const TrainingData data = load_training_data(o->run.data, settings.dev_size, settings.train.seed);
    if (o->steady) return run_steady_mode(*backend, data, settings, stop);

    const int threads = backend->info().threads;
    // A bf16 or int8 step is judged against its own precision's peak.
    const MachineLimits limits = at_precision(
        o->limits_path.empty() ? probe_machine_limits(threads) : read_limits(o->limits_path, threads),
        settings.precision);
    print_limits_line(limits);

    const ProfilePlan plan{o->unfused ? StepMode::unfused : StepMode::as_backend_runs, o->steps,
                           !o->trace_path.empty()};
    const ProfileSettings profile{settings, plan};
    ProgressDisplay progress("", o->run.log_path);
    LoadWindow load{read_machine_load(), std::nullopt};
    const ProfileRun run = profile_training(*backend, data, profile, std::ref(progress), stop);
    progress.finish();
    load.after = read_machine_load();
    const RunConditions conditions{load, 0.0, ""};
    const Breakdown breakdown = make_breakdown(run.recorder, limits);
    print_profile(run, breakdown, limits);
    print_conditions(conditions);
    if (!o->trace_path.empty()) write_trace(o->trace_path, run);
    if (!o->run.json_path.empty()) {
      nlohmann::json json = profile_json(run, breakdown, limits);
      json["conditions"] = to_json(conditions);
      write_json(o->run.json_path, with_provenance(json));
    }
    return run.interrupted ? 130 : 0;
  };
}

}  // namespace mnistbench
