#pragma once
// The per-op table of a profile: where the measured step time went, and how
// close each op comes to what this machine can do.

#include <cstdint>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "profile/machine_limits.h"
#include "profile/op_recorder.h"

namespace mnistbench {

struct OpFigures {
  OpId op;
  std::int64_t calls = 0;
  double seconds = 0;           // all calls together
  double flops = 0;             // all calls together
  double bytes = 0;             // all calls together, as common/model/cost_model.h counts them
  double share = 0;             // of the measured step time
  double flops_per_second = 0;
  double bytes_per_second = 0;
  double limit_seconds = 0;     // the machine's limit for the same work
  bool compute_bound = false;   // whether that limit is FLOPs rather than bytes

  double mean_seconds() const { return calls ? seconds / double(calls) : 0.0; }
  // limit_seconds / seconds: 1 means the op runs at the machine's limit.
  double limit_fraction() const { return seconds > 0 ? limit_seconds / seconds : 0.0; }
};

struct Breakdown {
  std::vector<OpFigures> ops;   // every op called: by kind in the enum's order, then by layer
  OpFigures step;               // the step slices: the measured step time ("step_figures" in JSON,
                                // where "step" is what the step ran, as in `train --json`)
  double ops_seconds = 0;       // the ops' times added up

  // (ops - step) / step: the share of the step no op accounts for, negated.
  double difference() const { return step.seconds > 0 ? (ops_seconds - step.seconds) / step.seconds : 0.0; }
};

Breakdown make_breakdown(const OpRecorder& recorder, const MachineLimits& limits);

nlohmann::json to_json(const OpFigures& figures);
nlohmann::json to_json(const Breakdown& breakdown);

}  // namespace mnistbench
