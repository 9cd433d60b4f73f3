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
#include "common/model/cost_model.h"
#include "common/checks/tolerances.h"
#include "profile/op_kind.h"

namespace mnistbench::bench {

namespace {

int mismatch_count = 0;

// An op case with the bounds of its check, computed once for all backends:
// for the products at full batch that is as much work as naive's product.
struct SharedCase {
  OpCase op;
  std::optional<std::vector<double>> bounds;
};

// For one network per program: the benchmarks' shape does not change while they run.
std::vector<SharedCase>& cases_at(const NetworkShape& shape, int m) {
  static std::map<int, std::vector<SharedCase>> cases;
  auto [at, inserted] = cases.try_emplace(m);
  if (inserted)
    for (OpCase& op : op_cases(reference_step(shape, m))) at->second.push_back({std::move(op), std::nullopt});
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

void set_counters(benchmark::State& state, const Backend& backend, int m, const OpCost& cost) {
  state.SetItemsProcessed(state.iterations() * m);  // items_per_second: samples/s
  state.SetBytesProcessed(std::int64_t(cost.bytes * double(state.iterations())));
  state.counters["FLOPS"] = benchmark::Counter(cost.flops, benchmark::Counter::kIsIterationInvariantRate);
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

void register_op_benchmarks(Backend& backend, const NetworkShape& shape, int m) {
  for (SharedCase& shared : cases_at(shape, m)) {
    const std::string name = benchmark_name(backend, op_benchmark_name(shared.op.op), m);
    auto check = std::make_shared<Check>();
    auto* benchmark = benchmark::RegisterBenchmark(name.c_str(), [&backend, &shared, check, shape, m, name](benchmark::State& state) {
      const OpCase& op = shared.op;
      AlignedVector<float> out(op.expected.size());
      const auto reset = [&] { std::ranges::copy(op.start, out.begin()); };
      const bool ok = passes(state, *check, [&]() -> std::optional<std::string> {
        reference_step(shape, m).ensure_computed();
        reset();
        op.call(backend, out.data());
        if (!shared.bounds) shared.bounds = op.bounds();
        return worst_violation(name, op.expected, out, *shared.bounds);
      });
      if (!ok) return;
      reset();
      for (auto _ : state) op.call(backend, out.data());
      set_counters(state, backend, m, op.cost);
    });
    configure(benchmark, m);
  }
}

void register_train_step_benchmark(Backend& backend, const NetworkShape& shape, int m) {
  const std::string name = benchmark_name(backend, "train_step", m);
  auto check = std::make_shared<Check>();
  auto* benchmark = benchmark::RegisterBenchmark(name.c_str(), [&backend, check, shape, m](benchmark::State& state) {
    ReferenceStep& r = reference_step(shape, m);
    Parameters params = backend.make_parameters(shape), grads = backend.make_parameters(shape);
    Workspace ws = backend.make_workspace(shape, m);
    // The floats only for a backend that reads them, as the trainer gives them.
    const auto batch_for_backend = [&] {
      Batch batch = r.batch;
      if (backend.input_form(shape) == InputForm::pixel_bytes) batch.x = nullptr;
      return batch;
    };
    const bool ok = passes(state, *check, [&]() -> std::optional<std::string> {
      r.ensure_computed();
      backend.write_parameters(params, r.params);
      backend.train_step(params, grads, batch_for_backend(), ws, kAlpha);
      Parameters stepped(shape);
      backend.read_parameters(params, stepped);
      if (auto problem = worst_violation("parameters after one step", r.updated.all(), stepped.all(),
                                         kStepRelative, kStepAbsolute))
        return problem;
      return worst_violation("probabilities of the step's forward pass",
                             {r.ws.a(shape.layers()), std::size_t(m) * shape.outputs()},
                             backend.probabilities(ws, m), 0.0, kForwardProbabilityAbsolute);
    });
    if (!ok) return;
    const Batch batch = batch_for_backend();
    // Every timed step starts where training starts; the steps after it move
    // the weights on, as training does.
    backend.write_parameters(params, r.params);
    for (auto _ : state) backend.train_step(params, grads, batch, ws, kAlpha);
    set_counters(state, backend, m, train_step_cost(shape, m));
  });
  configure(benchmark, m);
}

int mismatches() { return mismatch_count; }

}  // namespace mnistbench::bench
