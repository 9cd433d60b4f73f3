#pragma once
// compare --baseline FILE: this run's backends against a previous
// `compare --json`, each backend's step time by the Mann-Whitney U test over
// the repeats (Google Benchmark's tools/compare.py does the same), and its
// accuracy by compare's agreement limits. A CI job gates on the exit status.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/train/run.h"

namespace mnistbench {

// A backend's figures from this run: its first repeat's summary (every
// repeat trains the same bits) and every repeat's median step time.
struct ComparedRun {
  RunSummary summary;
  std::vector<double> repeat_seconds;
};

// Below this two-sided p-value a change in step time counts as real: the
// usual 5%, which 5 repeats against 5 can reach (their smallest p is 0.008).
inline constexpr double kSignificance = 0.05;

struct Baseline {
  std::string path;
  nlohmann::json json;  // the whole previous compare --json
};

// Reads FILE. Throws UsageError naming --baseline when it cannot be read or
// is not a compare --json.
Baseline read_baseline(const std::string& path);

// Throws UsageError naming --baseline when the baseline's runs trained
// other settings than these (steps, batch, rate, network, seed, ...): checked
// before training, so a mismatch costs one line, not a whole run. Threads
// are known per backend only after its run; compare_with_baseline checks them.
void check_baseline_settings(const Baseline& baseline, const RunSettings& settings, int training_images);

struct BaselineChange {
  std::string backend;
  bool in_baseline = false;
  double before_seconds = 0.0;        // median step, baseline
  double now_seconds = 0.0;           // median step, this run
  double change = 0.0;                // now / before - 1
  double p_value = 1.0;               // Mann-Whitney U, two-sided, over the repeats
  int before_repeats = 0;
  int now_repeats = 0;
  double test_points = 0.0;           // test accuracy now - before, percentage points
  double loss_relative = 0.0;         // |final loss now - before| / before
  bool slower = false;                // significantly slower by more than the limit
  bool accuracy_moved = false;        // beyond compare's agreement limits
};

// Throws UsageError naming --baseline when a backend in both ran other
// settings there (as check_baseline_settings, and threads), since neither its
// times nor its accuracy would then compare.
std::vector<BaselineChange> compare_with_baseline(const Baseline& baseline, const std::vector<ComparedRun>& runs,
                                                  double max_slowdown);

// The table, and one stderr line per regression. Returns whether any backend
// regressed (slower or accuracy moved).
bool print_baseline(const Baseline& baseline, const std::vector<BaselineChange>& changes, double max_slowdown);

nlohmann::json to_json(const Baseline& baseline, const std::vector<BaselineChange>& changes, double max_slowdown);

}  // namespace mnistbench
