#include "cli/race_report.h"

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli/report.h"

namespace mnistbench {

RaceVerdict judge(const RaceResult& result, double target) {
  RaceVerdict v;
  std::vector<double> seconds;
  double sum = 0.0;
  v.min_accuracy = 1.0;
  for (const RaceSeed& s : result.seeds) {
    seconds.push_back(s.seconds);
    const double accuracy = s.test_accuracy.value_or(0.0);
    sum += accuracy;
    v.min_accuracy = std::min(v.min_accuracy, accuracy);
    if (accuracy < target - kRaceSeedMargin) ++v.below;
    v.diverged += s.diverged ? 1 : 0;
  }
  if (seconds.empty()) return v;
  v.seconds = spread(seconds);
  v.mean_accuracy = sum / double(result.seeds.size());
  v.met = v.mean_accuracy >= target;
  v.valid = v.below <= kRaceSeedsAllowedBelow && v.diverged == 0;
  return v;
}

std::string RaceVerdict::failure(double target, std::size_t seeds) const {
  if (diverged > 0) return fmt::format("INVALID: training diverged on {} of {} seeds", diverged, seeds);
  if (!valid)
    return fmt::format("INVALID: {} of {} seeds below {:.2f}%", below, seeds, (target - kRaceSeedMargin) * 100);
  if (!met)
    return fmt::format("MISSED: mean test accuracy {:.2f}% is below the target {:.2f}%", mean_accuracy * 100,
                       target * 100);
  return "";
}

nlohmann::json recipe_json(const RunSettings& settings, const std::string& dataset,
                           const std::vector<std::uint64_t>& seeds) {
  const TrainOptions& t = settings.train;
  return {{"layers", settings.network.widths},
          {"init", to_string(settings.init)},
          {"batch_size", t.batch_size},
          {"epochs", t.full_batch() ? nlohmann::json(nullptr) : nlohmann::json(t.epochs)},
          {"iterations", t.full_batch() ? nlohmann::json(t.iterations) : nlohmann::json(nullptr)},
          {"alpha", t.alpha},
          {"schedule", to_string(t.schedule)},
          {"momentum", t.momentum},
          {"dev_size", settings.dev_size},
          {"dataset", dataset},
          {"seeds", seeds}};
}

namespace {

// The load, and the backend whose times spread the most.
RunConditions conditions_of(const std::vector<RaceResult>& results, double target, const LoadWindow& load) {
  RunConditions conditions{load, 0.0, ""};
  for (const RaceResult& r : results)
    if (const double relative = judge(r, target).seconds.relative_iqr(); relative > conditions.widest_relative_iqr)
      conditions = {load, relative, r.backend};
  return conditions;
}

}  // namespace

void print_race_table(const std::vector<RaceResult>& results, const RunSettings& settings, double target,
                      const LoadWindow& load) {
  const TrainOptions& t = settings.train;
  fmt::print("\nrecipe: layers {}, {} init, {}, alpha {} ({}){}; {} seeds from {}\n",
             settings.network.to_string(), to_string(settings.init),
             t.full_batch() ? fmt::format("full batch, {} steps", t.iterations)
                            : fmt::format("batch {}, {} epoch{}", t.batch_size, t.epochs, t.epochs == 1 ? "" : "s"),
             t.alpha, to_string(t.schedule), t.momentum > 0 ? fmt::format(", momentum {}", t.momentum) : "",
             results.empty() ? 0 : results.front().seeds.size(), t.seed);
  fmt::print("{:<8} {:>7} {:>10} {:>17} {:>10} {:>9} {:>7}  {}\n", "backend", "threads", "median ms",
             "IQR ms", "mean test", "min test", "below", "result");
  for (const RaceResult& r : results) {
    const RaceVerdict v = judge(r, target);
    fmt::print("{:<8} {:>7} {:>10.2f} {:>17} {:>10} {:>9} {:>7}  {}\n", r.backend, r.info.threads,
               v.seconds.median * 1e3, fmt::format("{:.2f}-{:.2f}", v.seconds.q1 * 1e3, v.seconds.q3 * 1e3),
               percent(v.mean_accuracy), percent(v.min_accuracy),
               fmt::format("{}/{}", v.below, r.seeds.size()),
               !v.valid ? "INVALID" : v.met ? "met" : "MISSED");
  }
  fmt::print("Time: training wall time from the first step to the last (shuffling and gathering "
             "batches included, loading and evaluation not); IQR: the middle half of the seeds' times.\n"
             "Target: mean test accuracy {:.2f}% over the seeds; below: seeds under {:.2f}%, "
             "more than {} of which make a result INVALID.\n",
             target * 100, (target - kRaceSeedMargin) * 100, kRaceSeedsAllowedBelow);
  print_conditions(conditions_of(results, target, load));
}

nlohmann::json race_json(const std::vector<RaceResult>& results, const RunSettings& settings,
                         const std::string& dataset, const std::vector<std::uint64_t>& seeds, double target,
                         const LoadWindow& load) {
  nlohmann::json runs = nlohmann::json::array();
  for (const RaceResult& r : results) {
    const RaceVerdict v = judge(r, target);
    nlohmann::json per_seed = nlohmann::json::array();
    for (const RaceSeed& s : r.seeds)
      per_seed.push_back({{"seed", s.seed},
                          {"seconds", s.seconds},
                          {"seconds_per_iteration", s.step_seconds},
                          {"iterations", s.iterations},
                          {"test_accuracy", s.test_accuracy ? nlohmann::json(*s.test_accuracy) : nlohmann::json(nullptr)},
                          {"diverged", s.diverged}});
    runs.push_back({{"backend", r.backend},
                    {"library", r.info.library},
                    {"isa", r.info.isa},
                    {"threads", r.info.threads},
                    {"step", r.step},
                    {"median_seconds", v.seconds.median},
                    {"q1_seconds", v.seconds.q1},
                    {"q3_seconds", v.seconds.q3},
                    {"mean_test_accuracy", v.mean_accuracy},
                    {"min_test_accuracy", v.min_accuracy},
                    {"seeds_below", v.below},
                    {"met", v.met},
                    {"valid", v.valid},
                    {"seeds", per_seed}});
  }
  return {{"target", target},
          {"seed_margin", kRaceSeedMargin},
          {"seeds_allowed_below", kRaceSeedsAllowedBelow},
          {"recipe", recipe_json(settings, dataset, seeds)},
          {"threads_requested", settings.threads},
          {"runs", runs},
          {"conditions", to_json(conditions_of(results, target, load))}};
}

}  // namespace mnistbench
