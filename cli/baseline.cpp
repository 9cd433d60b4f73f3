#include "cli/baseline.h"

#include <fmt/core.h>

#include <cmath>
#include <fstream>
#include <vector>

#include "common/checks/agreement.h"
#include "common/platform/errors.h"
#include "common/stats/statistics.h"

namespace mnistbench {

Baseline read_baseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("--baseline: cannot read " + path);
  Baseline baseline{path, nlohmann::json::parse(in, nullptr, false)};
  const nlohmann::json& j = baseline.json;
  if (j.is_discarded() || !j.is_object() || !j.contains("runs") || !j["runs"].is_array())
    throw UsageError("--baseline: " + path + " is not the JSON of `mnistbench compare --json`");
  for (const nlohmann::json& run : j["runs"])
    if (!run.is_object() || !run.contains("backend") || !run["backend"].is_string() ||
        !run.contains("seconds_per_iteration") || !run["seconds_per_iteration"].is_number() ||
        !run.contains("final_loss") || !run["final_loss"].is_number())
      throw UsageError("--baseline: " + path + " has a run without backend, seconds_per_iteration or final_loss");
  return baseline;
}

namespace {

// The settings a step time and an accuracy depend on, as `train --json`
// writes them. A file from before schedule and momentum existed ran the
// constant rate without momentum.
nlohmann::json settings_of(const nlohmann::json& run) {
  nlohmann::json settings;
  for (const char* key : {"iterations", "batch_size", "epochs", "alpha", "layers", "seed", "dev_size", "threads", "init"})
    settings[key] = run.value(key, nlohmann::json(nullptr));
  settings["schedule"] = run.value("schedule", "constant");
  settings["momentum"] = run.value("momentum", 0.0);
  return settings;
}

void check_same_settings(const Baseline& baseline, const std::string& backend, const nlohmann::json& was,
                         const nlohmann::json& is) {
  for (const auto& [key, value] : was.items())
    if (is.contains(key) && value != is[key])
      throw UsageError(fmt::format("--baseline: {} ran {} with {} {} there and {} here: its figures do not compare",
                                   baseline.path, backend, key, value.dump(), is[key].dump()));
}

std::vector<double> repeats_of(const nlohmann::json& run) {
  if (run.contains("repeat_seconds_per_iteration") && run["repeat_seconds_per_iteration"].is_array())
    return run["repeat_seconds_per_iteration"].get<std::vector<double>>();
  return {run["seconds_per_iteration"].get<double>()};  // a file from before --repeats
}

// The p-value of the most lopsided outcome of n repeats against m: every
// one of one side slower than every one of the other.
double smallest_p_value(int n, int m) {
  std::vector<double> low, high;
  for (int i = 0; i < n; ++i) low.push_back(i);
  for (int i = 0; i < m; ++i) high.push_back(n + i);
  return mann_whitney_u(low, high).p_value;
}

}  // namespace

void check_baseline_settings(const Baseline& baseline, const RunSettings& settings, int training_images) {
  RunSummary planned;
  planned.settings = settings;
  planned.iterations = total_steps(settings.train, training_images);
  planned.batch_size = batch_size(settings.train, training_images);
  nlohmann::json is = settings_of(to_json(planned));
  is.erase("threads");
  for (const nlohmann::json& before : baseline.json["runs"])
    check_same_settings(baseline, before["backend"].get<std::string>(), settings_of(before), is);
}

std::vector<BaselineChange> compare_with_baseline(const Baseline& baseline, const std::vector<ComparedRun>& runs,
                                                  double max_slowdown) {
  std::vector<BaselineChange> changes;
  for (const ComparedRun& run : runs) {
    BaselineChange c;
    c.backend = run.summary.backend;
    c.now_seconds = median(run.repeat_seconds);
    c.now_repeats = int(run.repeat_seconds.size());
    for (const nlohmann::json& before : baseline.json["runs"]) {
      if (before["backend"] != c.backend) continue;
      check_same_settings(baseline, c.backend, settings_of(before), settings_of(to_json(run.summary)));
      const std::vector<double> before_seconds = repeats_of(before);
      c.in_baseline = true;
      c.before_seconds = median(before_seconds);
      c.before_repeats = int(before_seconds.size());
      c.change = c.now_seconds / c.before_seconds - 1;
      c.p_value = mann_whitney_u(run.repeat_seconds, before_seconds).p_value;
      c.slower = c.change > max_slowdown && c.p_value < kSignificance;
      const double before_loss = before["final_loss"].get<double>();
      c.loss_relative = std::fabs(run.summary.final_loss - before_loss) / std::fabs(before_loss);
      if (before.contains("test_accuracy") && before["test_accuracy"].is_number() && run.summary.test_accuracy)
        c.test_points = (*run.summary.test_accuracy - before["test_accuracy"].get<double>()) * 100;
      c.accuracy_moved = !(c.loss_relative <= kFinalLossRelative) || !(std::fabs(c.test_points) <= kTestAccuracyPoints);
    }
    changes.push_back(c);
  }
  return changes;
}

bool print_baseline(const Baseline& baseline, const std::vector<BaselineChange>& changes, double max_slowdown) {
  const std::string commit = baseline.json.value("git_commit", "unknown commit");
  fmt::print("\nagainst the baseline {} ({}):\n", baseline.path, commit);
  fmt::print("{:<8} {:>12} {:>12} {:>9} {:>8} {:>9} {:>10}  {}\n", "backend", "before ms", "now ms", "change",
             "p", "repeats", "Δtest pp", "verdict");
  bool regressed = false;
  for (const BaselineChange& c : changes) {
    if (!c.in_baseline) {
      fmt::print("{:<8} {:>12} {:>12.3f} {:>9} {:>8} {:>9} {:>10}  not in the baseline\n", c.backend, "-",
                 c.now_seconds * 1e3, "-", "-", "-", "-");
      continue;
    }
    const bool significant = c.p_value < kSignificance;
    const std::string verdict = c.slower           ? "SLOWER"
                                : c.accuracy_moved ? "ACCURACY MOVED"
                                : !significant     ? "no significant change"
                                : c.change > 0     ? "slower, within the limit"
                                                   : "faster";
    fmt::print("{:<8} {:>12.3f} {:>12.3f} {:>+8.1f}% {:>8.3f} {:>9} {:>+10.2f}  {}\n", c.backend,
               c.before_seconds * 1e3, c.now_seconds * 1e3, c.change * 100, c.p_value,
               fmt::format("{} vs {}", c.now_repeats, c.before_repeats), c.test_points, verdict);
  }
  fmt::print("Times: median ms per step over the repeats; p: two-sided Mann-Whitney U over the repeats' times "
             "(below {} is significant). A backend fails when it is significantly slower by more than {:.0f}%, "
             "or its final loss or test accuracy moved beyond {:.0e} relative or {} points.\n",
             kSignificance, max_slowdown * 100, kFinalLossRelative, kTestAccuracyPoints);
  for (const BaselineChange& c : changes)
    if (c.in_baseline && smallest_p_value(c.now_repeats, c.before_repeats) >= kSignificance) {
      fmt::print("NOT TESTABLE: with {} repeats here and {} in the baseline no change in step time can reach "
                 "p < {} (the smallest possible p is {:.3f}): record the baseline with --repeats 5\n",
                 c.now_repeats, c.before_repeats, kSignificance, smallest_p_value(c.now_repeats, c.before_repeats));
      break;
    }
  for (const BaselineChange& c : changes) {
    if (c.slower)
      fmt::print(stderr, "mnistbench compare: SLOWER: {}: {:+.1f}% step time against the baseline (p {:.3f}; limit {:+.0f}%)\n",
                 c.backend, c.change * 100, c.p_value, max_slowdown * 100);
    if (c.accuracy_moved)
      fmt::print(stderr, "mnistbench compare: ACCURACY MOVED: {}: final loss {:.2e} relative, test {:+.2f} points against the baseline\n",
                 c.backend, c.loss_relative, c.test_points);
    regressed = regressed || c.slower || c.accuracy_moved;
  }
  return regressed;
}

nlohmann::json to_json(const Baseline& baseline, const std::vector<BaselineChange>& changes, double max_slowdown) {
  nlohmann::json backends = nlohmann::json::array();
  for (const BaselineChange& c : changes) {
    if (!c.in_baseline) {
      backends.push_back({{"backend", c.backend}, {"in_baseline", false}});
      continue;
    }
    backends.push_back({{"backend", c.backend},
                        {"in_baseline", true},
                        {"before_seconds_per_iteration", c.before_seconds},
                        {"seconds_per_iteration", c.now_seconds},
                        {"change", c.change},
                        {"p_value", c.p_value},
                        {"before_repeats", c.before_repeats},
                        {"repeats", c.now_repeats},
                        {"test_accuracy_points", c.test_points},
                        {"final_loss_relative", c.loss_relative},
                        {"slower", c.slower},
                        {"accuracy_moved", c.accuracy_moved}});
  }
  return {{"file", baseline.path},
          {"git_commit", baseline.json.value("git_commit", "")},
          {"max_slowdown", max_slowdown},
          {"significance", kSignificance},
          {"test", "Mann-Whitney U, two-sided"},
          {"backends", backends}};
}

}  // namespace mnistbench
