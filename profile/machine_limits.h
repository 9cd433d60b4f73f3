#pragma once
// What this machine can do at most, measured, not looked up: peak
// single-precision FLOP/s and memory read bandwidth with a given number of
// threads. The probe takes a fraction of a second; the machine is shared and
// noisy, so each figure is the best of a few short repetitions.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/model/cost_model.h"
#include "common/model/network_shape.h"

namespace mnistbench {

struct MachineLimits {
  int threads = 1;
  std::string isa;               // of the probe loops: "AVX-512", "AVX2+FMA", "SSE2", "scalar"
  double peak_flops = 0;         // FLOP/s, all threads together
  double read_bandwidth = 0;     // bytes/s from memory, all threads together
  int repetitions = 0;           // each figure is the best of this many
};

// Runs the probe on `threads` threads (std::thread), about half a second.
MachineLimits probe_machine_limits(int threads);

// The least time the work can take here: compute-bound or memory-bound,
// whichever is slower: max(FLOPs / peak, bytes / bandwidth).
double limit_seconds(const OpCost& cost, const MachineLimits& limits);

// That limit for one full-batch training step of m images (train_step_cost).
double step_limit_seconds(const NetworkShape& shape, int m, const MachineLimits& limits);

nlohmann::json to_json(const MachineLimits& limits);
// Throws DataError naming what is missing.
MachineLimits machine_limits_from_json(const nlohmann::json& json);

}  // namespace mnistbench
