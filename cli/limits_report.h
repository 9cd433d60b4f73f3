#pragma once
// The machine's limits as `machine` and `profile` print and save them.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "profile/machine_limits.h"

namespace mnistbench {

// MNIST's 60,000 training images less the default 1,000 held out for dev:
// the full batch every `train` run steps over unless told otherwise.
inline constexpr int kDefaultFullBatch = 59000;

// The probe's figures for each thread count (at least one), with the limit of a default
// full-batch step of the tutorial's network (NetworkShape's default).
void print_machine_limits(const std::vector<MachineLimits>& limits);

// One line: "machine limits, 2 threads (AVX-512 probe): ...".
void print_limits_line(const MachineLimits& limits);

// {"limits": [...]} as `machine --json` writes it, each entry with its full-batch step limit.
nlohmann::json limits_json(const std::vector<MachineLimits>& limits);

// The entry for this thread count from a `machine --json` file; throws
// UsageError naming --limits when the file has none.
MachineLimits read_limits(const std::string& path, int threads);

}  // namespace mnistbench
