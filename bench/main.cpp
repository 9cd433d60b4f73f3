// mnistbench_bench: Google Benchmark over every registered backend. For each:
// every op of the interface, for each layer, at batch 1, 64, 1000 and the
// full training split, and a whole training step at batch 64 and full batch,
// each checked against naive before it is timed. Walks the registry: a new
// backend needs no code here.
//
// Threads: MNISTBENCH_THREADS=N asks every backend for N threads (default:
// all cores); backends without threads stay at 1. Each benchmark records the
// threads its backend really used as the counter backend_threads.
// The network: MNISTBENCH_LAYERS=784,32,16,10 (as --layers; default: the tutorial's).

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/benchmarks.h"
#include "bench/context.h"
#include "bench/reference_step.h"
#include "common/platform/errors.h"
#include "common/model/registry.h"

namespace {

// MNISTBENCH_THREADS, or all cores; nothing for a value that is not a positive integer.
std::optional<int> requested_threads() {
  const char* text = std::getenv("MNISTBENCH_THREADS");
  if (!text || !*text) return int(std::max(1u, std::thread::hardware_concurrency()));
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value < 1 || value > 4096) return std::nullopt;
  return int(value);
}

// MNISTBENCH_LAYERS, or the tutorial's network; throws UsageError for a value --layers would refuse.
mnistbench::NetworkShape requested_shape() {
  const char* text = std::getenv("MNISTBENCH_LAYERS");
  return text && *text ? mnistbench::parse_layers(text) : mnistbench::NetworkShape{};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mnistbench;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const std::optional<int> threads = requested_threads();
  if (!threads) {
    std::fprintf(stderr, "mnistbench_bench: MNISTBENCH_THREADS must be a positive integer, got '%s'\n",
                 std::getenv("MNISTBENCH_THREADS"));
    return 2;
  }

  NetworkShape shape;
  try {
    shape = requested_shape();
  } catch (const UsageError& error) {
    std::fprintf(stderr, "mnistbench_bench: MNISTBENCH_LAYERS is read as --layers: %s\n", error.what());
    return 2;
  }

  std::vector<std::unique_ptr<Backend>> backends;
  for (const BackendEntry& entry : registered_backends()) {
    backends.push_back(entry.make());
    backends.back()->set_threads(*threads);
  }
  bench::add_context(backends, *threads, shape);

  const int full = bench::full_batch_size();
  for (const auto& backend : backends) {
    for (int m : {1, 64, 1000, full}) bench::register_op_benchmarks(*backend, shape, m);
    for (int m : {64, full}) bench::register_train_step_benchmark(*backend, shape, m);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  if (const int failed = bench::mismatches()) {
    std::fprintf(stderr, "mnistbench_bench: %d benchmark(s) disagree with naive; see their error_message\n", failed);
    return 1;
  }
  return 0;
}
