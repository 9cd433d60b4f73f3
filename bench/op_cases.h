#pragma once
// What is measured for each op of the interface, apart from who does it (the
// "action" of Eigen's bench/btl; the backend is the "interface"): the call as
// one training step makes it at batch m, its FLOPs and bytes, naive's result
// and how close to it a backend must come.

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "bench/reference_step.h"

namespace mnistbench::bench {

struct OpCase {
  std::string name;                  // the op part of the benchmark name
  double flops = 0;                  // per call; 0 for ReLU and softmax, where a count would mislead
  double bytes = 0;                  // per call: each operand read once, each result written once
  std::span<const float> start;      // an in-place op's output buffer before the call; else empty
  std::span<const float> expected;   // naive's result, the size of the output buffer
  std::function<void(Backend&, float* out)> call;
  // How far from expected each value may be (common/tolerances.h); valid once computed.
  std::function<std::vector<double>()> bounds;
};

// The ops of one training step on r's buffers, in the order train_step calls them.
std::vector<OpCase> op_cases(const ReferenceStep& r);

}  // namespace mnistbench::bench
