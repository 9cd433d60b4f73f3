// mnistbench train: one backend, the tutorial's training, a summary.

#include <fmt/core.h>

#include <cstdio>
#include <memory>

#include "cli/backend_option.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/run_options.h"
#include "common/model/registry.h"

namespace mnistbench {

CommandAction add_train_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand("train", "Train the network with one backend and print a summary");
  auto backend = std::make_shared<std::string>("naive");
  auto options = std::make_shared<RunOptions>();
  command->add_option("--backend", *backend, "Backend to train with (see `mnistbench list`)")
      ->capture_default_str()->check(backend_name_validator());
  add_run_options(*command, *options);

  return [backend, options] {
    const RunSettings settings = options->resolved();
    std::unique_ptr<Backend> engine = make_backend(*backend);
    select_precision(*engine, settings.precision, settings.network);
    const TrainingData data = load_training_data(options->data, settings.dev_size, settings.train.seed);
    ProgressDisplay progress("", options->log_path);
    LoadWindow load{read_machine_load(), std::nullopt};
    const RunSummary summary = run_training(*engine, data, settings, std::ref(progress), stop_on_interrupt());
    progress.finish();
    load.after = read_machine_load();
    // One run: no spread to judge, only the load.
    const RunConditions conditions{load, 0.0, ""};
    print_summary(summary);
    print_conditions(conditions);
    if (!options->json_path.empty()) {
      nlohmann::json json = to_json(summary);
      json["conditions"] = to_json(conditions);
      write_json(options->json_path, with_provenance(json));
    }
    if (summary.diverged_at_step) {
      std::fflush(stdout);  // the summary first, then the error, in a shared log too
      fmt::print(stderr, "mnistbench: error: training diverged at step {}: the loss is not a number "
                         "(try a smaller --alpha)\n", *summary.diverged_at_step);
      return 1;
    }
    return summary.interrupted ? 130 : 0;
  };
}

}  // namespace mnistbench
