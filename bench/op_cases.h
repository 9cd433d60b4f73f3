#pragma once
// What is measured for each op of the interface, apart from who does it (the
// "action" of Eigen's bench/btl; the backend is the "interface"): the call as
// one training step makes it at batch m, for each layer of the network, its
// cost (common/model/cost_model.h, the profiler's count too), naive's result and
// how close to it a backend must come.

#include <functional>
#include <span>
#include <vector>

#include "bench/reference_step.h"
#include "common/model/cost_model.h"
#include "profile/op_kind.h"

namespace mnistbench::bench {

struct OpCase {
  OpId op;                           // named as the profiler names it (op_benchmark_name)
  OpCost cost;                       // per call
  std::span<const float> start;      // an in-place op's output buffer before the call; else empty
  std::span<const float> expected;   // naive's result, the size of the output buffer
  std::function<void(Backend&, float* out)> call;
  // How far from expected each value may be (common/checks/tolerances.h); valid once computed.
  std::function<std::vector<double>()> bounds;
};

// The ops of one training step on r's buffers, in the order
// Backend::compute_gradients and apply_update call them.
std::vector<OpCase> op_cases(const ReferenceStep& r);

}  // namespace mnistbench::bench
