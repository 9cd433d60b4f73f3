#include "cli/report.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"
#include "common/platform/machine.h"
#include "common/stats/statistics.h"

namespace mnistbench {

TrainingData load_training_data(const DataSelection& selection, int dev_size, std::uint64_t seed) {
  const auto start = std::chrono::steady_clock::now();
  DataSource source = load_data(selection);
  TrainingData data = prepare_training_data(std::move(source), dev_size, seed);
  if (process_rank() == 0)
    fmt::print(stderr, "data: {}: {} training, {} dev, {} test images ({:.1f}s)\n", data.description,
               data.train.count, data.dev.count, data.test ? data.test->count : 0,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return data;
}

std::string percent(const std::optional<double>& fraction) {
  return fraction ? fmt::format("{:.2f}%", *fraction * 100) : "n/a";
}

void print_summary(const RunSummary& s) {
  const TrainOptions& t = s.settings.train;
  fmt::print("\n{} ({}; {}; {} thread{}; {} products)\n", s.backend, s.info.library, s.info.isa,
             s.info.threads, s.info.threads == 1 ? "" : "s", precision_key(s.settings.precision));
  if (s.diverged_at_step)
    fmt::print("  DIVERGED at step {}: the loss became NaN or infinite; training stopped there\n", *s.diverged_at_step);
  if (s.interrupted) fmt::print("  INTERRUPTED after {} iterations: figures are for the weights at that point\n", s.iterations);
  fmt::print("  network         layers {}; step: {}\n", s.settings.network.to_string(), s.step);
  fmt::print("  settings        seed {}, alpha {}{}{}, {}, {} iterations of {} images\n", t.seed, t.alpha,
             t.schedule == Schedule::constant ? "" : fmt::format(" ({} schedule)", to_string(t.schedule)),
             t.momentum > 0 ? fmt::format(", momentum {}", t.momentum) : "", t.full_batch() ? "full batch" : fmt::format("{} epoch{}", t.epochs, t.epochs == 1 ? "" : "s"),
             s.iterations, s.batch_size);
  fmt::print("  final loss      {:.6f}\n", s.final_loss);
  fmt::print("  accuracy        train {}  dev {}  test {}\n", percent(s.train_accuracy),
             percent(s.dev_accuracy), percent(s.test_accuracy));
  fmt::print("  time/iteration  {:.3f} ms (median)   {:.0f} samples/s\n", s.seconds_per_iteration * 1e3,
             s.samples_per_second);
  if (s.shards > 1)
    fmt::print("  shards          {}: {}; exchange {:.3f} ms/iteration ({:.1f}% of the step), {:.0f} bytes sent\n",
               s.shards, s.sharding, s.exchange_seconds_per_iteration * 1e3,
               100 * s.exchange_seconds_per_iteration / s.seconds_per_iteration, s.bytes_sent_per_iteration);
  fmt::print("  training time   {:.1f} ms (first step to last)\n", s.training_seconds * 1e3);
}

namespace {

// As the machine record counts them (describe_machine).
int logical_cores() { return int(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace

bool RunConditions::busy_load() const { return load.busy(logical_cores()); }

bool RunConditions::noisy() const { return widest_relative_iqr > kNoisyRelativeIqr; }

void print_conditions(const RunConditions& c) {
  fmt::print("{}.\n", c.load.describe());
  if (c.busy_load())
    fmt::print("BUSY: the load exceeded this machine's {} logical cores: the times shared the CPUs\n",
               logical_cores());
  if (c.noisy())
    fmt::print("NOISY: {}'s times spread over {:.0f}% of their median (IQR; the limit is {:.0f}%): "
               "differences that small are not measured here\n",
               c.widest, c.widest_relative_iqr * 100, kNoisyRelativeIqr * 100);
}

nlohmann::json to_json(const RunConditions& c) {
  return {{"load", to_json(c.load)},
          {"logical_cores", logical_cores()},
          {"busy", c.busy_load()},
          {"noisy", c.noisy()},
          {"widest_relative_iqr", c.widest_relative_iqr},
          {"widest_relative_iqr_of", c.widest},
          {"noisy_relative_iqr_limit", kNoisyRelativeIqr}};
}

nlohmann::json with_provenance(nlohmann::json body) {
  body["machine"] = to_json(describe_machine());
  body["git_commit"] = git_commit();
  return body;
}

void write_json(const std::string& path, const nlohmann::json& json) {
  if (process_rank() != 0) return;  // rank 0 alone writes files
  std::ofstream out(path);
  out << json.dump(2) << '\n';
  if (!out) throw UsageError("--json: cannot write " + path);
}

}  // namespace mnistbench
