#pragma once
// What `race` measures and how it judges it: per backend, each seed's
// training wall time and test accuracy; the median time with its
// interquartile range; the mean and the minimum accuracy; whether the mean
// meets the target and whether the result is valid (MLPerf's rule: at most
// one seed more than half a point below the target).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/model/backend.h"
#include "common/platform/machine_load.h"
#include "common/stats/statistics.h"
#include "common/train/run.h"

namespace mnistbench {

// A seed counts against validity when its accuracy is below the target by
// more than this (half a percentage point, as MLPerf's convergence rules).
inline constexpr double kRaceSeedMargin = 0.005;
// More seeds than this below target - kRaceSeedMargin make a result invalid.
inline constexpr int kRaceSeedsAllowedBelow = 1;

struct RaceSeed {
  std::uint64_t seed = 0;
  double seconds = 0.0;             // training wall time, first step to last
  double step_seconds = 0.0;        // the median step within it
  std::int64_t iterations = 0;
  std::optional<double> test_accuracy;
  bool diverged = false;
};

struct RaceResult {
  std::string backend;
  BackendInfo info;
  std::string step;                 // the fused step it ran, or "fine ops"
  std::vector<RaceSeed> seeds;
};

struct RaceVerdict {
  Spread seconds;                   // of the seeds' training times
  double mean_accuracy = 0.0;
  double min_accuracy = 0.0;
  int below = 0;                    // seeds below target - kRaceSeedMargin
  int diverged = 0;                 // seeds whose training diverged
  bool met = false;                 // the mean reaches the target
  bool valid = false;               // at most kRaceSeedsAllowedBelow below, none diverged

  // Why the result fails ("INVALID: ...", "MISSED: ..."), or empty when it is met and valid.
  std::string failure(double target, std::size_t seeds) const;
};

RaceVerdict judge(const RaceResult& result, double target);

// The recipe as JSON: every option that shapes the training.
nlohmann::json recipe_json(const RunSettings& settings, const std::string& dataset,
                           const std::vector<std::uint64_t>& seeds);

void print_race_table(const std::vector<RaceResult>& results, const RunSettings& settings, double target,
                      const LoadWindow& load);

nlohmann::json race_json(const std::vector<RaceResult>& results, const RunSettings& settings,
                         const std::string& dataset, const std::vector<std::uint64_t>& seeds, double target,
                         const LoadWindow& load);

}  // namespace mnistbench
