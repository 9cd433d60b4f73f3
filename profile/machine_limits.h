#pragma once
// What this machine can do at most, measured, not looked up: peak
// single-precision FLOP/s and memory read bandwidth with a given number of
// threads. The probe takes a fraction of a second; the machine is shared and
// noisy, so each figure is the best of a few short repetitions.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/model/cost_model.h"
#include "common/model/network_shape.h"
#include "common/model/precision.h"

namespace mnistbench {

struct MachineLimits {
  int threads = 1;
  std::string isa;               // of the probe loops: "AVX-512", "AVX2+FMA", "SSE2", "scalar"
  double peak_flops = 0;         // FLOP/s, all threads together
  // The same for the precision ladder's dot products, 0 where the CPU lacks them:
  double peak_bf16_flops = 0;    // vdpbf16ps: bf16 multiply-adds into float32, 2 per pair
  double peak_int8_ops = 0;      // vpdpbusd: byte multiply-adds into int32, 2 per pair
  double read_bandwidth = 0;     // bytes/s from memory, all threads together
  int repetitions = 0;           // each figure is the best of this many
};

// limits with peak_flops the peak of precision's products (the step's
// products are almost all in it: common/model/precision.h), so that every
// limit computed from it is that precision's. Throws UsageError when this
// machine's figures have none for it.
MachineLimits at_precision(const MachineLimits& limits, Precision precision);

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
