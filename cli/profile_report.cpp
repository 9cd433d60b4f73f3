#include "cli/profile_report.h"

#include <fmt/core.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace mnistbench {

namespace {

void print_row(const OpFigures& f) {
  fmt::print("{:<24} {:>6} {:>10.3f} {:>9.4f} {:>6.1f}% {:>10.3f} {:>9.3f} {:>8.2f} {:>8.2f} {:>7.1f}% {}\n",
             op_name(f.kind), f.calls, f.seconds * 1e3, f.mean_seconds() * 1e3, f.share * 100,
             f.flops / double(f.calls) / 1e6, f.bytes / double(f.calls) / 1e6, f.flops_per_second / 1e9,
             f.bytes_per_second / 1e9, f.limit_fraction() * 100, f.compute_bound ? "compute" : "memory");
}

std::string plural(int n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace

void print_profile(const ProfileRun& run, const Breakdown& b, const MachineLimits& limits) {
  fmt::print("\n{} ({}; {}; {}), {} profiled, {} images each ({})\n", run.backend, run.info.library, run.info.isa,
             plural(run.info.threads, "thread"), plural(run.steps_done, "step"), run.batch_size,
             run.full_batch ? "full batch" : "mini-batch");
  if (run.interrupted) fmt::print("INTERRUPTED: figures are for the steps done\n");
  if (run.fuses_train_step || run.fuses_forward) {
    const char* fused = run.fuses_train_step ? "train_step" : "forward";
    if (run.unfused)
      fmt::print("{} fuses its own {}; --unfused profiles the default composition of its ops instead,\n"
                 "in the plain steps too: a view of its kernels, not the step `train` runs.\n",
                 run.backend, fused);
    else
      fmt::print("{} fuses its own {}: the ops inside run on the backend itself, where no wrapper sees\n"
                 "them, so each call shows as one slice. --unfused profiles the default composition of\n"
                 "its ops instead (a view of its kernels, not the step `train` runs).\n",
                 run.backend, fused);
  }
  if (run.steps_done == 0) return;

  fmt::print("\n{:<24} {:>6} {:>10} {:>9} {:>7} {:>10} {:>9} {:>8} {:>8} {:>8} {}\n", "op", "calls", "total ms",
             "mean ms", "share", "MFLOP/call", "MB/call", "GFLOP/s", "GB/s", "of limit", "bound");
  for (const OpFigures& f : b.ops) print_row(f);
  print_row(b.step);

  const double difference = b.difference();
  fmt::print("\nops add up to {:.3f} ms; the steps measured {:.3f} ms: difference {:+.2f}% ({})\n",
             b.ops_seconds * 1e3, b.step.seconds * 1e3, difference * 100,
             std::abs(difference) <= kOpsAddUpTolerance ? "within 5%" : "MORE than 5%");
  fmt::print("decorator overhead: {:+.2f}%: best profiled step {:.3f} ms vs best plain step {:.3f} ms, of {} each,\n"
             "interleaved (medians {:.3f} vs {:.3f} ms: noise only adds time, so the best is the figure)\n",
             run.overhead() * 100, run.best_profiled_seconds() * 1e3, run.best_plain_seconds() * 1e3, run.steps_done,
             run.median_profiled_seconds() * 1e3, run.median_plain_seconds() * 1e3);
  const OpCost step = train_step_cost(run.shape, run.batch_size);
  const double limit = limit_seconds(step, limits);
  fmt::print("step limit here: max({:.3f} GFLOP / {:.1f} GFLOP/s, {:.1f} MB / {:.1f} GB/s) = {:.3f} ms;\n"
             "the best profiled step takes {:.2f}x that, the median {:.2f}x\n",
             step.flops / 1e9, limits.peak_flops / 1e9, step.bytes / 1e6, limits.read_bandwidth / 1e9, limit * 1e3,
             run.best_profiled_seconds() / limit, run.median_profiled_seconds() / limit);
  fmt::print("counted: a multiply-add is 2 FLOPs; an op's bytes are what its call must read and write, as if\n"
             "from memory, so an op on data still in cache can pass 100% of the limit; the step row counts\n"
             "the five products and the pixels read once as bytes. of limit = max(FLOPs / peak, bytes /\n"
             "bandwidth) / time.\n");
}

nlohmann::json profile_json(const ProfileRun& run, const Breakdown& b, const MachineLimits& limits) {
  nlohmann::json json = to_json(b);
  json["backend"] = run.backend;
  json["library"] = run.info.library;
  json["isa"] = run.info.isa;
  json["threads"] = run.info.threads;
  json["batch_size"] = run.batch_size;
  json["steps"] = run.steps_done;
  json["steps_trained"] = run.steps_trained;
  json["interrupted"] = run.interrupted;
  json["fuses_forward"] = run.fuses_forward;
  json["fuses_train_step"] = run.fuses_train_step;
  json["unfused"] = run.unfused;
  json["machine_limits"] = to_json(limits);
  json["step_limit_seconds"] = step_limit_seconds(run.shape, run.batch_size, limits);
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
