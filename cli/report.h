#pragma once
// Printing and saving results: readable on the terminal, parseable as JSON,
// with the machine and the commit recorded beside every figure.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/platform/machine_load.h"
#include "common/train/run.h"
#include "common/data/training_data.h"

namespace mnistbench {

// Loads and splits the data, printing what was loaded.
TrainingData load_training_data(const DataSelection& selection, int dev_size, std::uint64_t seed);

void print_summary(const RunSummary& summary);

// {"machine": ..., "git_commit": ..., plus body}
nlohmann::json with_provenance(nlohmann::json body);

void write_json(const std::string& path, const nlohmann::json& json);

// The conditions of a timed run: the load before and after, and whether the
// machine was busy (load above its logical cores) or the timings' spread too
// wide (a relative IQR above kNoisyRelativeIqr) to trust small differences.
struct RunConditions {
  LoadWindow load;
  double widest_relative_iqr = 0.0;  // over the timed things, 0 with a single measurement
  std::string widest;                // which had it

  bool busy_load() const;
  bool noisy() const;
};

// One or two footer lines: the load, and BUSY or NOISY when either holds.
void print_conditions(const RunConditions& conditions);
// {"load": {"before", "after"}, "logical_cores", "busy", "noisy", "widest_relative_iqr", ...}
nlohmann::json to_json(const RunConditions& conditions);

// "85.32%" or "n/a"
std::string percent(const std::optional<double>& fraction);

}  // namespace mnistbench
