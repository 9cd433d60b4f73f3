#include "cli/limits_report.h"

#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/platform/errors.h"

namespace mnistbench {

namespace {

std::string bound_of(const OpCost& cost, const MachineLimits& limits) {
  return cost.flops / limits.peak_flops >= cost.bytes / limits.read_bandwidth ? "compute" : "memory";
}

}  // namespace

void print_limits_line(const MachineLimits& l) {
  const bool low = l.peak_flops == l.peak_bf16_flops || l.peak_flops == l.peak_int8_ops;
  fmt::print("machine limits, {} thread{} ({} probe, best of {}): peak {:.1f} G{}/s, read {:.1f} GB/s\n",
             l.threads, l.threads == 1 ? "" : "s", l.isa, l.repetitions, l.peak_flops / 1e9,
             low ? (l.peak_flops == l.peak_bf16_flops ? "FLOP (bf16)" : "OP (int8)") : "FLOP", l.read_bandwidth / 1e9);
}

void print_machine_limits(const std::vector<MachineLimits>& limits) {
  const NetworkShape shape;
  const OpCost step = train_step_cost(shape, kDefaultFullBatch);
  fmt::print("probe: {} FMA chains for peak FLOP/s, vector-load sums of 64 MiB chunks of a 512 MiB buffer for\n"
             "read bandwidth; std::threads started together; each figure the best of {} short repetitions\n",
             limits.front().isa, limits.front().repetitions);
  fmt::print("{:>7}  {:>12}  {:>9}  {}\n", "threads", "peak GFLOP/s", "read GB/s", "full-batch step limit");
  for (const MachineLimits& l : limits)
    fmt::print("{:>7}  {:>12.1f}  {:>9.1f}  {:.2f} ms ({}-bound)\n", l.threads, l.peak_flops / 1e9,
               l.read_bandwidth / 1e9, step_limit_seconds(shape, kDefaultFullBatch, l) * 1e3, bound_of(step, l));
  for (const MachineLimits& l : limits)
    fmt::print("{:>7}  peak bf16 {:.1f} GFLOP/s (vdpbf16ps), int8 {:.1f} GOP/s (vpdpbusd){}\n", l.threads,
               l.peak_bf16_flops / 1e9, l.peak_int8_ops / 1e9,
               l.peak_bf16_flops > 0 && l.peak_int8_ops > 0 ? "" : "; 0: this CPU lacks the instruction");
  fmt::print("step limit = max(FLOPs / peak, bytes / read bandwidth) for one step of {} images through\n"
             "{}: {:.3f} GFLOP (the products) and {:.1f} MB (the pixels read once, as bytes, and the labels)\n",
             kDefaultFullBatch, shape.to_string(), step.flops / 1e9, step.bytes / 1e6);
}

nlohmann::json limits_json(const std::vector<MachineLimits>& limits) {
  const NetworkShape shape;
  nlohmann::json entries = nlohmann::json::array();
  for (const MachineLimits& l : limits) {
    nlohmann::json entry = to_json(l);
    entry["full_batch_step_limit_seconds"] = step_limit_seconds(shape, kDefaultFullBatch, l);
    entries.push_back(entry);
  }
  const OpCost step = train_step_cost(shape, kDefaultFullBatch);
  return {{"limits", entries},
          {"full_batch_step",
           {{"images", kDefaultFullBatch}, {"layers", shape.widths}, {"flops", step.flops}, {"bytes", step.bytes}}}};
}

MachineLimits read_limits(const std::string& path, int threads) {
  std::ifstream in(path);
  if (!in) throw UsageError("--limits: cannot read " + path);
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
  if (json.is_discarded() || !json.contains("limits") || !json["limits"].is_array())
    throw UsageError("--limits: " + path + " is not the JSON of `mnistbench machine --json`");
  std::string found;
  for (const nlohmann::json& entry : json["limits"]) {
    const MachineLimits limits = machine_limits_from_json(entry);
    if (limits.threads == threads) return limits;
    found += (found.empty() ? "" : ", ") + std::to_string(limits.threads);
  }
  throw UsageError("--limits: " + path + " has no figures for " + std::to_string(threads) +
                   " threads (it has " + found + ")");
}

}  // namespace mnistbench
