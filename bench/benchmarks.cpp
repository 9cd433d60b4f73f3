#include "bench/benchmarks.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bench/op_cases.h"
#include "bench/reference_step.h"
#include "common/tolerances.h"

namespace mnistbench::bench {

namespace {

int mismatch_count = 0;

// An op case with the bounds of its check, computed once for all backends:
// for the products at full batch that is as much work as naive's product.
struct SharedCase {
  OpCase op;
  std::optional<std::vector<double>> bounds;
};

std::vector<SharedCase>& cases_at(int m) {
  static std::map<int, std::vector<SharedCase>> cases;
  auto [at, inserted] = cases.try_emplace(m);
  if (inserted)
    for (OpCase& op : op_cases(reference_step(m))) at->second.push_back({std::move(op), std::nullopt});
  return at->second;
}

// A check's outcome, kept because Google Benchmark calls a benchmark's
// function several times while it settles the number of iterations.
struct Check {
  bool done = false;
  std::optional<std::string> problem;
};

// Runs the check the first time; on a mismatch (or if the reference cannot
// be computed) the benchmark reports the error in place of a time.
bool passes(benchmark::State& state, Check& check,
            const std::function<std::optional<std::string>()>& compare_with_naive) {
  if (!check.done) {
    try {
      check.problem = compare_with_naive();
    } catch (const std::exception& error) {
      check.problem = error.what();
    }
    check.done = true;
    if (check.problem) ++mismatch_count;
  }
  if (check.problem) state.SkipWithError(check.problem->c_str());
  return !check.problem;
}

void set_counters(benchmark::State& state, const Backend& backend, int m, double flops, double bytes) {
  state.SetItemsProcessed(state.iterations() * m);  // items_per_second: samples/s
  state.SetBytesProcessed(std::int64_t(bytes * double(state.iterations())));
  if (flops > 0) state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  // Not "threads": Google Benchmark's JSON already has that key for its own threads.
  state.counters["backend_threads"] = backend.info().threads;
}

void configure(benchmark::internal::Benchmark* benchmark, int m) {
  // Wall time for every backend, threaded or not, so all figures compare
  // (Google Benchmark marks such names with a "/real_time" suffix). No
  // per-benchmark minimum time, which would go into the name as well: at the
  // default 0.5 s naive's full-batch step (~0.6 s) runs once, and the whole
  // suite takes a few minutes.
  benchmark->UseRealTime()->Unit(m == full_batch_size() ? benchmark::kMillisecond : benchmark::kMicrosecond);
}

std::string benchmark_name(const Backend& backend, std::string_view op, int m) {
  return std::string(backend.name()) + "/" + std::string(op) + "/" + std::to_string(m);
}

}  // namespace

void register_op_benchmarks(Backend& backend, int m) {
  for (SharedCase& shared : cases_at(m)) {
    const std::string name = benchmark_name(backend, shared.op.name, m);
    auto check = std::make_shared<Check>();
    auto* benchmark = benchmark::RegisterBenchmark(name.c_str(), [&backend, &shared, check, m, name](benchmark::State& state) {
      const OpCase& op = shared.op;
      AlignedVector<float> out(op.expected.size());
      const auto reset = [&] { std::ranges::copy(op.start, out.begin()); };
      const bool ok = passes(state, *check, [&]() -> std::optional<std::string> {
        reference_step(m).ensure_computed();
        reset();
        op.call(backend, out.data());
        if (!shared.bounds) shared.bounds = op.bounds();
        return worst_violation(name, op.expected, out, *shared.bounds);
      });
      if (!ok) return;
      reset();
      for (auto _ : state) op.call(backend, out.data());
      set_counters(state, backend, m, op.flops, op.bytes);
    });
    configure(benchmark, m);
  }
}

void register_train_step_benchmark(Backend& backend, int m) {
  // The step's FLOPs and bytes: those of the ops it is made of.
  double flops = 0, bytes = 0;
  for (const SharedCase& shared : cases_at(m)) flops += shared.op.flops, bytes += shared.op.bytes;

  const std::string name = benchmark_name(backend, "train_step", m);
  auto check = std::make_shared<Check>();
  auto* benchmark = benchmark::RegisterBenchmark(name.c_str(), [&backend, check, m, flops, bytes](benchmark::State& state) {
    ReferenceStep& r = reference_step(m);
    Parameters params(r.shape), grads(r.shape);
    Workspace ws(r.shape, m);
    const bool ok = passes(state, *check, [&]() -> std::optional<std::string> {
      r.ensure_computed();
      std::ranges::copy(r.params.all(), params.all().begin());
      backend.train_step(params, grads, r.batch, ws, kAlpha);
      if (auto problem = worst_violation("parameters after one step", r.stepped.all(), params.all(),
                                         kStepRelative, kStepAbsolute))
        return problem;
      const std::size_t n = std::size_t(m) * r.shape.outputs;
      return worst_violation("probabilities of the step's forward pass",
                             {r.step_workspace.probabilities.data(), n}, {ws.probabilities.data(), n}, 0.0,
                             kForwardProbabilityAbsolute);
    });
    if (!ok) return;
    // Every timed step starts where training starts; the steps after it move
    // the weights on, as training does.
    std::ranges::copy(r.params.all(), params.all().begin());
    for (auto _ : state) backend.train_step(params, grads, r.batch, ws, kAlpha);
    set_counters(state, backend, m, flops, bytes);
  });
  configure(benchmark, m);
}

int mismatches() { return mismatch_count; }

}  // namespace mnistbench::bench
