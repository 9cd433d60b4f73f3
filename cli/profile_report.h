#pragma once
// What `profile` prints and saves: the per-op table, the check that the ops
// add up to the step, the decorator's overhead and the step's limit.

#include <nlohmann/json_fwd.hpp>

#include "profile/breakdown.h"
#include "profile/profile_session.h"

namespace mnistbench {

// Within this the op times must add up to the measured step time.
inline constexpr double kOpsAddUpTolerance = 0.05;

void print_profile(const ProfileRun& run, const Breakdown& breakdown, const MachineLimits& limits);

nlohmann::json profile_json(const ProfileRun& run, const Breakdown& breakdown, const MachineLimits& limits);

}  // namespace mnistbench
