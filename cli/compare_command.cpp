// mnistbench compare: every backend trains from the same seed and settings;
// one table of accuracy and speed, and a non-zero exit if any backend
// disagrees with naive, the reference.

#include <fmt/core.h>

#include <cstdlib>
#include <memory>

#include "cli/backend_option.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/run_options.h"
#include "common/checks/agreement.h"
#include "common/model/cost_model.h"
#include "common/model/registry.h"

namespace mnistbench {

namespace {

// Names a backend that compare then trains at twice --alpha: the one way to
// see the disagreement check fail on purpose (the tests do), since correct
// backends agree.
constexpr const char* kPerturbVariable = "MNISTBENCH_COMPARE_PERTURB";

void print_table(const std::vector<RunSummary>& runs, double flops) {
  const RunSummary& reference = runs.front();
  fmt::print("\n{:<8} {:>7} {:>11} {:>8} {:>8} {:>10} {:>9} {:>10} {:>12} {:>8} {:>8}\n", "backend",
             "threads", "final loss", "dev", "test", "Δloss", "Δtest pp", "ms/iter", "samples/s",
             "GFLOP/s", "speed-up");
  for (const RunSummary& r : runs) {
    const double loss_delta = (r.final_loss - reference.final_loss) / reference.final_loss;
    const double test_delta = r.test_accuracy && reference.test_accuracy
                                  ? (*r.test_accuracy - *reference.test_accuracy) * 100 : 0.0;
    fmt::print("{:<8} {:>7} {:>11.6f} {:>8} {:>8} {:>10.2e} {:>+9.2f} {:>10.3f} {:>12.0f} {:>8.2f} {:>7.1f}x\n",
               r.backend, r.info.threads, r.final_loss, percent(r.dev_accuracy), percent(r.test_accuracy),
               loss_delta, test_delta, r.seconds_per_iteration * 1e3, r.samples_per_second,
               r.samples_per_second * flops / 1e9,
               reference.seconds_per_iteration / r.seconds_per_iteration);
  }
  fmt::print("GFLOP/s counts {:.0f} FLOPs per image per step (the products of network {}); Δ are against {}.\n",
             flops, reference.settings.network.to_string(), reference.backend);
}

}  // namespace

CommandAction add_compare_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "compare", "Train every backend from the same seed and settings; table of accuracy and speed.\n"
                 "Exits 1 if a backend's final loss or test accuracy disagrees with naive's.");
  auto backends = std::make_shared<std::string>();
  auto options = std::make_shared<RunOptions>();
  command->add_option("--backends", *backends,
                      "Comma-separated backends (default: all built in); naive, the reference, always runs first")
      ->check(backend_list_validator());
  add_run_options(*command, *options);

  return [backends, options] {
    const RunSettings settings = options->resolved();
    std::vector<std::string> names = backends->empty() ? backend_names() : split_names(*backends);
    std::erase(names, "naive");
    names.insert(names.begin(), "naive");

    const TrainingData data = load_training_data(options->data, settings.dev_size, settings.train.seed);
    const std::atomic<bool>& stop = stop_on_interrupt();
    std::vector<RunSummary> runs;
    const char* perturbed = std::getenv(kPerturbVariable);
    for (const std::string& name : names) {
      if (stop) break;
      std::unique_ptr<Backend> backend = make_backend(name);
      ProgressDisplay progress(fmt::format("{:<6} ", name), options->log_path.empty() ? "" : options->log_path + "." + name + ".csv");
      RunSettings backend_settings = settings;
      if (perturbed && name == perturbed) {
        backend_settings.train.alpha *= 2;
        fmt::print(stderr, "{}={}: training {} at alpha {} to exercise the agreement check\n",
                   kPerturbVariable, perturbed, name, backend_settings.train.alpha);
      }
      runs.push_back(run_training(*backend, data, backend_settings, std::ref(progress), stop));
      progress.finish();
    }

    const double flops_per_sample = train_step_cost(settings.network, 1).flops;
    print_table(runs, flops_per_sample);

    int status = 0;
    if (stop) {
      fmt::print("INTERRUPTED: figures are for the steps done; agreement not checked\n");
      status = 130;
    } else {
      for (const RunSummary& run : runs)
        if (auto problem = disagreement(runs.front(), run)) {
          fmt::print(stderr, "mnistbench compare: DISAGREES: {}\n", *problem);
          status = 1;
        }
      if (status == 0) fmt::print("all {} backends agree with naive within the stated tolerances\n", runs.size());
    }

    if (!options->json_path.empty()) {
      nlohmann::json json = {{"reference", "naive"}, {"runs", nlohmann::json::array()}};
      for (const RunSummary& run : runs) json["runs"].push_back(to_json(run));
      json["seed"] = settings.train.seed;
      json["flops_per_sample"] = flops_per_sample;
      json["agreement"] = {{"final_loss_relative", kFinalLossRelative}, {"test_accuracy_points", kTestAccuracyPoints}};
      write_json(options->json_path, with_provenance(json));
    }
    return status;
  };
}

}  // namespace mnistbench
