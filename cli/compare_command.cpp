// mnistbench compare: every backend trains from the same seed and settings;
// one table of accuracy and speed, and a non-zero exit if any backend
// disagrees with naive, the reference. With --repeats every backend trains
// several times, interleaved, and its step time is the median with its IQR;
// --baseline then tests each backend against a previous run. With
// --precisions every backend trains at each precision it can run (the
// precision ladder): each is held to naive at the same precision, and its
// accuracy is shown against its own float32 run.

#include <fmt/core.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>

#include "cli/backend_option.h"
#include "cli/baseline.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/run_options.h"
#include "common/checks/agreement.h"
#include "common/model/cost_model.h"
#include "common/model/registry.h"
#include "common/platform/errors.h"
#include "common/stats/statistics.h"

namespace mnistbench {

namespace {

// Names a backend that compare then trains at twice --alpha: the one way to
// see the disagreement check fail on purpose (the tests do), since correct
// backends agree.
constexpr const char* kPerturbVariable = "MNISTBENCH_COMPARE_PERTURB";
// Names a backend whose measured step times compare multiplies by
// kInjectedSlowdown, as if each step had taken that much longer: the way to
// see --baseline flag a slowdown on purpose. Three times leaves a test room
// for the machine's own noise between the baseline and the check.
constexpr const char* kSlowdownVariable = "MNISTBENCH_COMPARE_SLOWDOWN";
constexpr double kInjectedSlowdown = 3.0;

struct CompareOptions {
  std::string backends;
  std::string precisions;
  int repeats = 1;
  std::string baseline;
  double max_slowdown = 0.10;
  RunOptions run;
};

// The run of the same backend at float32, when there is one.
const RunSummary* float32_run(const std::vector<ComparedRun>& runs, const RunSummary& r) {
  for (const ComparedRun& run : runs)
    if (run.summary.backend == r.backend && run.summary.settings.precision == Precision::fp32)
      return &run.summary;
  return nullptr;
}

// Naive at the same precision: the reference each run is held to.
const RunSummary& reference_for(const std::vector<ComparedRun>& runs, const RunSummary& r) {
  for (const ComparedRun& run : runs)
    if (run.summary.backend == "naive" && run.summary.settings.precision == r.settings.precision)
      return run.summary;
  return runs.front().summary;
}

double points(const std::optional<double>& a, const std::optional<double>& b) {
  return a && b ? (*a - *b) * 100 : 0.0;
}

void print_table(const std::vector<ComparedRun>& runs, double flops) {
  fmt::print("\n{:<8} {:>9} {:>7} {:>11} {:>8} {:>8} {:>10} {:>9} {:>10} {:>10} {:>17} {:>12} {:>8} {:>8}\n",
             "backend", "precision", "threads", "final loss", "dev", "test", "Δloss", "Δtest pp", "test-fp32",
             "ms/iter", "IQR ms", "samples/s", "GFLOP/s", "speed-up");
  for (const ComparedRun& run : runs) {
    const RunSummary& r = run.summary;
    const RunSummary& reference = reference_for(runs, r);
    const RunSummary* full = float32_run(runs, r);
    const Spread s = spread(run.repeat_seconds);
    const double loss_delta = (r.final_loss - reference.final_loss) / reference.final_loss;
    fmt::print("{:<8} {:>9} {:>7} {:>11.6f} {:>8} {:>8} {:>10.2e} {:>+9.2f} {:>10} {:>10.3f} {:>17} {:>12.0f} {:>8.2f} {:>7.1f}x\n",
               r.backend, precision_key(r.settings.precision), r.info.threads, r.final_loss,
               percent(r.dev_accuracy), percent(r.test_accuracy), loss_delta,
               points(r.test_accuracy, reference.test_accuracy),
               full ? fmt::format("{:+.2f}", points(r.test_accuracy, full->test_accuracy)) : "-",
               r.seconds_per_iteration * 1e3,
               run.repeat_seconds.size() > 1 ? fmt::format("{:.3f}-{:.3f}", s.q1 * 1e3, s.q3 * 1e3) : "-",
               r.samples_per_second, r.samples_per_second * flops / 1e9,
               reference.seconds_per_iteration / r.seconds_per_iteration);
  }
  fmt::print("GFLOP/s counts {:.0f} FLOPs per image per step (the products of network {}); Δ and speed-up "
             "are against naive at the same precision; test-fp32: test accuracy minus the same backend's "
             "at fp32, in points.\n", flops, runs.front().summary.settings.network.to_string());
  const std::size_t repeats = runs.front().repeat_seconds.size();
  if (repeats > 1)
    fmt::print("ms/iter: the median over {} repeats, run interleaved, of each repeat's median step; "
               "IQR: the middle half of the repeats.\n", repeats);
}

RunConditions conditions_of(const std::vector<ComparedRun>& runs, const LoadWindow& load) {
  RunConditions conditions{load, 0.0, ""};
  for (const ComparedRun& run : runs)
    if (const double relative = spread(run.repeat_seconds).relative_iqr(); relative > conditions.widest_relative_iqr)
      conditions = {load, relative, run.summary.backend};
  return conditions;
}

}  // namespace

CommandAction add_compare_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "compare", "Train every backend from the same seed and settings; table of accuracy and speed.\n"
                 "Exits 1 if a backend's final loss or test accuracy disagrees with naive's, or, with\n"
                 "--baseline, if a backend is significantly slower than there or its accuracy moved.");
  auto options = std::make_shared<CompareOptions>();
  command->add_option("--backends", options->backends,
                      "Comma-separated backends (default: all built in); naive, the reference, always runs first")
      ->check(backend_list_validator());
  command->add_option("--repeats", options->repeats,
                      "Train every backend this many times, interleaved in a rotating order; the step "
                      "time is then the median over the repeats, with the interquartile range")
      ->capture_default_str()->check(CLI::Range(1, 1000).description("1-1000"));
  command->add_option("--baseline", options->baseline,
                      "A previous compare --json: print each backend's change in step time (Mann-Whitney U "
                      "over the repeats) and accuracy, and exit 1 on a regression");
  command->add_option("--max-slowdown", options->max_slowdown,
                      "With --baseline: the step-time increase, as a fraction, beyond which a significant "
                      "slowdown fails")
      ->capture_default_str()->check(number_validator(
          [](double x) { return x >= 0 && std::isfinite(x); }, "a fraction of at least 0", ">=0"));
  command->add_option("--precisions", options->precisions,
                      "Comma-separated precisions to train every backend at (fp32,bf16,int8); a backend "
                      "that cannot run one is skipped there, with a note. Default: --precision alone");
  add_run_options(*command, options->run);

  return [options] {
    const RunSettings settings = options->run.resolved();
    std::optional<Baseline> baseline;
    if (!options->baseline.empty()) baseline = read_baseline(options->baseline);
    std::vector<std::string> names = options->backends.empty() ? backend_names() : split_names(options->backends);
    std::erase(names, "naive");
    names.insert(names.begin(), "naive");
    const std::vector<Precision> precisions = options->precisions.empty()
        ? std::vector<Precision>{settings.precision} : parse_precisions(options->precisions);
    if (baseline && precisions.size() > 1)
      throw UsageError("--baseline: compares one precision at a time; give --precisions one of them");
    // Every (backend, precision) to train, precision by precision, naive first in each.
    struct Entry {
      std::string name;
      Precision precision;
    };
    std::vector<Entry> entries;
    for (Precision precision : precisions)
      for (const std::string& name : names) {
        const std::optional<std::string> refusal = make_backend(name)->precision_refusal(precision, settings.network);
        if (refusal && !options->precisions.empty()) {
          fmt::print(stderr, "{} at {}: skipped: {}\n", name, precision_key(precision), *refusal);
          continue;
        }
        entries.push_back({name, precision});
      }

    const TrainingData data = load_training_data(options->run.data, settings.dev_size, settings.train.seed);
    if (baseline) check_baseline_settings(*baseline, settings, data.train.count);
    const std::atomic<bool>& stop = stop_on_interrupt();
    std::vector<std::optional<ComparedRun>> runs(entries.size());
    const char* perturbed = std::getenv(kPerturbVariable);
    const char* slowed = std::getenv(kSlowdownVariable);
    const int repeats = options->repeats;
    LoadWindow load{read_machine_load(), std::nullopt};
    for (int repeat = 0; repeat < repeats && !stop; ++repeat) {
      // Repeat r starts r places along the list, so that no backend always
      // runs first, or right after the same neighbour.
      for (std::size_t k = 0; k < entries.size() && !stop; ++k) {
        const std::size_t index = (std::size_t(repeat) + k) % entries.size();
        const std::string& name = entries[index].name;
        const Precision precision = entries[index].precision;
        std::unique_ptr<Backend> backend = make_backend(name);
        select_precision(*backend, precision, settings.network);
        const bool first = repeat == 0;
        const std::string tag = precisions.size() == 1 ? name : name + "/" + std::string(precision_key(precision));
        const std::string label = repeats == 1 ? fmt::format("{:<6} ", tag)
                                               : fmt::format("{:<6} {}/{} ", tag, repeat + 1, repeats);
        ProgressDisplay progress(label, options->run.log_path.empty() || !first ? "" : options->run.log_path + "." + tag + ".csv");
        RunSettings backend_settings = settings;
        backend_settings.precision = precision;
        if (!first || index != 0) backend_settings.save_initial.clear();  // the same weights every time
        if (perturbed && name == perturbed) {
          backend_settings.train.alpha *= 2;
          if (first)
            fmt::print(stderr, "{}={}: training {} at alpha {} to exercise the agreement check\n",
                       kPerturbVariable, perturbed, name, backend_settings.train.alpha);
        }
        RunSummary summary = run_training(*backend, data, backend_settings, std::ref(progress), stop);
        progress.finish();
        if (slowed && name == slowed) {
          summary.seconds_per_iteration *= kInjectedSlowdown;
          if (first)
            fmt::print(stderr, "{}={}: {}'s step times are multiplied by {} to exercise --baseline\n",
                       kSlowdownVariable, slowed, name, kInjectedSlowdown);
        }
        if (!runs[index]) runs[index] = ComparedRun{summary, {}};
        runs[index]->repeat_seconds.push_back(summary.seconds_per_iteration);
      }
    }
    load.after = read_machine_load();

    std::vector<ComparedRun> done;
    for (std::optional<ComparedRun>& run : runs)
      if (run) {
        // The table's time is the median over the repeats.
        run->summary.seconds_per_iteration = median(run->repeat_seconds);
        run->summary.samples_per_second = run->summary.batch_size / run->summary.seconds_per_iteration;
        done.push_back(std::move(*run));
      }
    if (done.empty()) {
      fmt::print("INTERRUPTED before the first run finished\n");
      return 130;
    }

    const double flops_per_sample = train_step_cost(settings.network, 1).flops;
    print_table(done, flops_per_sample);
    const RunConditions conditions = conditions_of(done, load);
    print_conditions(conditions);

    int status = 0;
    std::vector<BaselineChange> changes;
    if (stop) {
      fmt::print("INTERRUPTED: figures are for the runs done; agreement not checked\n");
      status = 130;
    } else {
      for (const ComparedRun& run : done)
        if (auto problem = disagreement(reference_for(done, run.summary), run.summary)) {
          fmt::print(stderr, "mnistbench compare: DISAGREES: {}\n", *problem);
          status = 1;
        }
      if (status == 0 && precisions.size() == 1)
        fmt::print("all {} backends agree with naive within the stated tolerances\n", done.size());
      else if (status == 0)
        fmt::print("all {} runs agree with naive at their precision within the stated tolerances\n", done.size());
      if (baseline) {
        changes = compare_with_baseline(*baseline, done, options->max_slowdown);
        if (print_baseline(*baseline, changes, options->max_slowdown)) status = 1;
      }
    }

    if (!options->run.json_path.empty()) {
      nlohmann::json json = {{"reference", "naive"}, {"runs", nlohmann::json::array()}};
      for (const ComparedRun& run : done) {
        nlohmann::json record = to_json(run.summary);
        const Spread s = spread(run.repeat_seconds);
        record["repeat_seconds_per_iteration"] = run.repeat_seconds;
        record["seconds_per_iteration_q1"] = s.q1;
        record["seconds_per_iteration_q3"] = s.q3;
        if (const RunSummary* full = float32_run(done, run.summary)) {
          // The precision's accuracy cost: this run against the same backend at float32.
          record["final_loss_vs_fp32"] = run.summary.final_loss - full->final_loss;
          record["dev_accuracy_vs_fp32_points"] = points(run.summary.dev_accuracy, full->dev_accuracy);
          record["test_accuracy_vs_fp32_points"] = points(run.summary.test_accuracy, full->test_accuracy);
          record["speedup_vs_fp32"] = full->seconds_per_iteration / run.summary.seconds_per_iteration;
        }
        json["runs"].push_back(record);
      }
      json["seed"] = settings.train.seed;
      json["precisions"] = nlohmann::json::array();
      for (Precision precision : precisions) json["precisions"].push_back(precision_key(precision));
      json["repeats"] = repeats;
      json["flops_per_sample"] = flops_per_sample;
      json["agreement"] = {{"final_loss_relative", kFinalLossRelative}, {"test_accuracy_points", kTestAccuracyPoints}};
      json["conditions"] = to_json(conditions);
      if (baseline) json["baseline"] = to_json(*baseline, changes, options->max_slowdown);
      write_json(options->run.json_path, with_provenance(json));
    }
    return status;
  };
}

}  // namespace mnistbench
