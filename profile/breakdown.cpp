#include "profile/breakdown.h"

#include <nlohmann/json.hpp>
#include <string>

namespace mnistbench {

namespace {

OpFigures figures_of(OpId op, const OpTotals& totals, double step_seconds, const MachineLimits& limits) {
  OpFigures f;
  f.op = op;
  f.calls = totals.calls;
  f.seconds = double(totals.nanoseconds) * 1e-9;
  f.flops = totals.flops;
  f.bytes = totals.bytes;
  f.share = step_seconds > 0 ? f.seconds / step_seconds : 0.0;
  if (f.seconds > 0) {
    f.flops_per_second = f.flops / f.seconds;
    f.bytes_per_second = f.bytes / f.seconds;
  }
  const OpCost cost{f.flops, f.bytes};
  f.limit_seconds = limit_seconds(cost, limits);
  f.compute_bound = f.flops / limits.peak_flops >= f.bytes / limits.read_bandwidth;
  return f;
}

}  // namespace

Breakdown make_breakdown(const OpRecorder& recorder, const MachineLimits& limits) {
  Breakdown b;
  const OpId step{OpKind::step};
  const double step_seconds = double(recorder.totals(step).nanoseconds) * 1e-9;
  b.step = figures_of(step, recorder.totals(step), step_seconds, limits);
  for (OpKind kind : kOpRows)
    for (int layer = 0; layer <= recorder.layers(); ++layer) {
      const OpTotals& totals = recorder.totals({kind, layer});
      if (totals.calls == 0) continue;
      b.ops.push_back(figures_of({kind, layer}, totals, step_seconds, limits));
      b.ops_seconds += b.ops.back().seconds;
    }
  return b;
}

nlohmann::json to_json(const OpFigures& f) {
  return {{"name", op_name(f.op)},
          {"kind", std::string(kind_name(f.op.kind))},
          {"layer", f.op.layer},
          {"calls", f.calls},
          {"seconds", f.seconds},
          {"mean_seconds", f.mean_seconds()},
          {"flops", f.flops},
          {"bytes", f.bytes},
          {"share_of_step", f.share},
          {"flops_per_second", f.flops_per_second},
          {"bytes_per_second", f.bytes_per_second},
          {"limit_seconds", f.limit_seconds},
          {"limit_fraction", f.limit_fraction()},
          {"bound", f.compute_bound ? "compute" : "memory"}};
}

nlohmann::json to_json(const Breakdown& b) {
  nlohmann::json ops = nlohmann::json::array();
  for (const OpFigures& f : b.ops) ops.push_back(to_json(f));
  return {{"ops", ops}, {"step_figures", to_json(b.step)}, {"ops_seconds", b.ops_seconds}, {"difference", b.difference()}};
}

}  // namespace mnistbench
