#include "cli/profile_report.h"

#include <fmt/core.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace mnistbench {

namespace {

void print_row(const OpFigures& f) {
  fmt::print("{:<36} {:>6} {:>10.3f} {:>9.4f} {:>6.1f}% {:>10.3f} {:>9.3f} {:>8.2f} {:>8.2f} {:>7.1f}% {}\n",
             op_name(f.op), f.calls, f.seconds * 1e3, f.mean_seconds() * 1e3, f.share * 100,
             f.flops / double(f.calls) / 1e6, f.bytes / double(f.calls) / 1e6, f.flops_per_second / 1e9,
             f.bytes_per_second / 1e9, f.limit_fraction() * 100, f.compute_bound ? "compute" : "memory");
}

std::string plural(int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

void print_profile(const ProfileRun& run, const Breakdown& b, const MachineLimits& limits) {
  const RunSummary& t = run.training;
  fmt::print("\n{} ({}; {}; {}), {}, {} profiled, {} images each ({})\n", t.backend, t.info.library, t.info.isa,
             plural(t.info.threads, "thread"), t.settings.network.to_string(), plural(run.steps_done(), "step"),
             t.batch_size, t.settings.train.full_batch() ? "full batch" : "mini-batch");
  fmt::print("step: {}\n", t.step);
  if (t.shards > 1)
    fmt::print("shards: {}; the ops below are this process's: its shards of each batch, then the allreduce\n"
               "(gathering every shard's gradients, waiting for the slowest rank included, and summing them)\n",
               t.sharding);
  if (run.interrupted) fmt::print("INTERRUPTED: figures are for the steps done\n");
  if (run.unfused)
    fmt::print("--unfused: the default composition of {}'s ops ran instead of any fused step it has, in the\n"
               "plain steps too: a view of its kernels, not necessarily the step `train` runs.\n",
               t.backend);
  else if (run.fused)
    fmt::print("{} runs its own fused step: the ops inside run on the backend itself, where no wrapper sees\n"
               "them, so each step shows as one fused_step slice. --unfused profiles the default composition\n"
               "of its ops instead (a view of its kernels, not the step `train` runs; float32 only).\n",
               t.backend);
  if (run.steps_done() == 0) return;

  fmt::print("\n{:<36} {:>6} {:>10} {:>9} {:>7} {:>10} {:>9} {:>8} {:>8} {:>8} {}\n", "op", "calls", "total ms",
             "mean ms", "share", "MFLOP/call", "MB/call", "GFLOP/s", "GB/s", "of limit", "bound");
  for (const OpFigures& f : b.ops) print_row(f);
  print_row(b.step);

  const double difference = b.difference();
  fmt::print("\nops add up to {:.3f} ms; the steps measured {:.3f} ms: difference {:+.2f}% ({})\n",
             b.ops_seconds * 1e3, b.step.seconds * 1e3, difference * 100,
             std::abs(difference) <= kOpsAddUpTolerance ? "within 5%" : "MORE than 5%");
  fmt::print("decorator overhead: {:+.2f}%: best profiled step {:.3f} ms vs best plain step {:.3f} ms, of {} each,\n"
             "interleaved (medians {:.3f} vs {:.3f} ms: noise only adds time, so the best is the figure)\n",
             run.overhead() * 100, run.best_profiled_seconds() * 1e3, run.best_plain_seconds() * 1e3, run.steps_done(),
             run.median_profiled_seconds() * 1e3, run.median_plain_seconds() * 1e3);
  const OpCost step = train_step_cost(t.settings.network, t.batch_size);
  const double limit = limit_seconds(step, limits);
  fmt::print("step limit here: max({:.3f} GFLOP / {:.1f} GFLOP/s, {:.1f} MB / {:.1f} GB/s) = {:.3f} ms;\n"
             "the best profiled step takes {:.2f}x that, the median {:.2f}x\n",
             step.flops / 1e9, limits.peak_flops / 1e9, step.bytes / 1e6, limits.read_bandwidth / 1e9, limit * 1e3,
             run.best_profiled_seconds() / limit, run.median_profiled_seconds() / limit);
  fmt::print("counted: a multiply-add is 2 FLOPs; an op's bytes are what its call must read and write, as if\n"
             "from memory, so an op on data still in cache can pass 100% of the limit; the step row counts\n"
             "the products and the pixels read once as bytes (common/model/cost_model.h). of limit =\n"
             "max(FLOPs / peak, bytes / bandwidth) / time.\n");
}

nlohmann::json profile_json(const ProfileRun& run, const Breakdown& b, const MachineLimits& limits) {
  const RunSummary& t = run.training;
  nlohmann::json json = to_json(b);
  json["backend"] = t.backend;
  json["library"] = t.info.library;
  json["isa"] = t.info.isa;
  json["threads"] = t.info.threads;
  json["layers"] = t.settings.network.widths;
  json["batch_size"] = t.batch_size;
  json["step"] = t.step;
  json["unfused"] = run.unfused;
  json["steps"] = run.steps_done();
  json["steps_trained"] = t.iterations;
  json["interrupted"] = run.interrupted;
  json["machine_limits"] = to_json(limits);
  json["step_limit_seconds"] = step_limit_seconds(t.settings.network, t.batch_size, limits);
  json["plain_step_seconds_best"] = run.best_plain_seconds();
  json["profiled_step_seconds_best"] = run.best_profiled_seconds();
  json["plain_step_seconds_median"] = run.median_plain_seconds();
  json["profiled_step_seconds_median"] = run.median_profiled_seconds();
  json["plain_step_seconds"] = run.plain_step_seconds;
  json["profiled_step_seconds"] = run.profiled_step_seconds;
  json["overhead"] = run.overhead();
  return json;
}

}  // namespace mnistbench
