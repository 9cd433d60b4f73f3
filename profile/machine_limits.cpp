#include "profile/machine_limits.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "common/platform/aligned.h"
#include "common/platform/errors.h"
#include "profile/probe_kernels.h"
#include "profile/probe_low_precision.h"

namespace mnistbench {

namespace {

// Many short repetitions, each a few milliseconds, rather than a few long
// ones: on a shared machine a short one often runs without being preempted,
// and the best of them is what the hardware can do.
constexpr int kRepetitions = 15;
// About 3 ms with AVX-512 on a current core.
constexpr std::int64_t kFmaIterations = std::int64_t(1) << 20;
// Far larger than any last-level cache. Each repetition reads the next of its
// chunks (about 5 ms from one core), so a chunk was last read 448 MiB ago and
// comes from memory again.
constexpr std::size_t kReadBufferFloats = (std::size_t(512) << 20) / sizeof(float);
constexpr std::size_t kReadChunks = 8;
constexpr std::size_t kVectorBlock = 64;  // floats per iteration of the widest sum loop

// Keeps the probe loops' results alive so the compiler cannot drop them.
volatile float probe_sink;

// Runs work(thread, repetition) on fresh threads, kRepetitions times, and
// returns the shortest span of one repetition, from the first thread starting
// its work to the last one finishing. The threads stamp their own times, so
// starting them costs nothing, and threads that did not overlap (one waiting
// for a core while the other ran) show up as a longer span.
template <class Work>
double best_wall_seconds(int threads, const Work& work) {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> starts(threads), ends(threads);
  double best = std::numeric_limits<double>::infinity();
  for (int r = 0; r < kRepetitions; ++r) {
    {
      std::vector<std::jthread> workers;
      for (int t = 0; t < threads; ++t)
        workers.emplace_back([&, t, r] {
          starts[t] = Clock::now();
          work(t, r);
          ends[t] = Clock::now();
        });
    }  // joined here
    const auto span = *std::max_element(ends.begin(), ends.end()) - *std::min_element(starts.begin(), starts.end());
    best = std::min(best, std::chrono::duration<double>(span).count());
  }
  return best;
}

}  // namespace

MachineLimits probe_machine_limits(int threads) {
  const ProbeKernels& kernels = best_probe_kernels();
  MachineLimits limits;
  limits.threads = threads;
  limits.isa = kernels.isa;
  limits.repetitions = kRepetitions;
  std::vector<float> results(threads);

  const double fma_seconds =
      best_wall_seconds(threads, [&](int t, int) { results[t] = kernels.fma_chains(kFmaIterations); });
  limits.peak_flops = kernels.flops_per_iteration * double(kFmaIterations) * threads / fma_seconds;
  const auto low_peak = [&](const LowPrecisionProbe* probe) {
    if (probe == nullptr) return 0.0;
    const double seconds =
        best_wall_seconds(threads, [&](int t, int) { results[t] = probe->chains(kFmaIterations); });
    return probe->operations_per_iteration * double(kFmaIterations) * threads / seconds;
  };
  limits.peak_bf16_flops = low_peak(bf16_probe());
  limits.peak_int8_ops = low_peak(int8_probe());

  // Each thread streams its own contiguous slice of the chunk, as a band-split op would.
  const AlignedVector<float> buffer(kReadBufferFloats, 1.0f);
  const std::size_t chunk = kReadBufferFloats / kReadChunks;
  const std::size_t slice = chunk / threads / kVectorBlock * kVectorBlock;
  const double read_seconds = best_wall_seconds(threads, [&](int t, int r) {
    results[t] = kernels.sum(buffer.data() + (r % kReadChunks) * chunk + t * slice, slice);
  });
  limits.read_bandwidth = double(slice) * threads * sizeof(float) / read_seconds;

  for (float result : results) probe_sink = probe_sink + result;
  return limits;
}

MachineLimits at_precision(const MachineLimits& limits, Precision precision) {
  MachineLimits at = limits;
  if (precision == Precision::fp32) return at;
  at.peak_flops = precision == Precision::bf16 ? limits.peak_bf16_flops : limits.peak_int8_ops;
  if (!(at.peak_flops > 0))
    throw UsageError("--precision " + std::string(precision_key(precision)) +
                     ": the machine limits have no peak for it (the CPU lacks its instructions, or "
                     "the --limits file predates them)");
  return at;
}

double limit_seconds(const OpCost& cost, const MachineLimits& limits) {
  return std::max(cost.flops / limits.peak_flops, cost.bytes / limits.read_bandwidth);
}

double step_limit_seconds(const NetworkShape& shape, int m, const MachineLimits& limits) {
  return limit_seconds(train_step_cost(shape, m), limits);
}

nlohmann::json to_json(const MachineLimits& limits) {
  return {{"threads", limits.threads},
          {"isa", limits.isa},
          {"peak_flops_per_second", limits.peak_flops},
          {"peak_bf16_flops_per_second", limits.peak_bf16_flops},
          {"peak_int8_ops_per_second", limits.peak_int8_ops},
          {"read_bytes_per_second", limits.read_bandwidth},
          {"repetitions", limits.repetitions}};
}

MachineLimits machine_limits_from_json(const nlohmann::json& json) {
  MachineLimits limits;
  try {
    limits.threads = json.at("threads").get<int>();
    limits.isa = json.at("isa").get<std::string>();
    limits.peak_flops = json.at("peak_flops_per_second").get<double>();
    // Files written before the precision ladder have neither: 0, no figure.
    limits.peak_bf16_flops = json.value("peak_bf16_flops_per_second", 0.0);
    limits.peak_int8_ops = json.value("peak_int8_ops_per_second", 0.0);
    limits.read_bandwidth = json.at("read_bytes_per_second").get<double>();
    limits.repetitions = json.at("repetitions").get<int>();
  } catch (const nlohmann::json::exception& error) {
    throw DataError(std::string("machine limits: ") + error.what());
  }
  return limits;
}

}  // namespace mnistbench
