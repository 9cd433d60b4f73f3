#include "common/executor.h"

#include <algorithm>
#include <string>

#include "common/errors.h"

#if MNISTBENCH_HAVE_TBB
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include <optional>
#endif

namespace mnistbench {

#if MNISTBENCH_HAVE_TBB

struct Executor::Arena {
  // More threads than cores need the process-wide limit raised while they run.
  std::optional<tbb::global_control> oversubscribed;
  tbb::task_arena arena{tbb::info::default_concurrency()};
};

Executor::Executor() : arena_(std::make_unique<Arena>()) {}

void Executor::set_threads(int threads) {
  if (threads < 1 || threads > kMaxThreads)
    throw UsageError("--threads: " + std::to_string(threads) + " is outside 1-" +
                     std::to_string(kMaxThreads));
  arena_->oversubscribed.reset();
  if (threads > tbb::info::default_concurrency())
    arena_->oversubscribed.emplace(tbb::global_control::max_allowed_parallelism, threads);
  arena_->arena.terminate();
  arena_->arena.initialize(threads);
}

int Executor::threads() const { return arena_->arena.max_concurrency(); }

void Executor::for_each_tile(int tiles, const std::function<void(int)>& body) {
  if (tiles == 1) return body(0);
  // simple_partitioner with a grain of 1: each tile is its own task, whatever
  // the thread count, so no thread count changes what a call computes.
  arena_->arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<int>(0, tiles, 1),
        [&](const tbb::blocked_range<int>& r) {
          for (int t = r.begin(); t < r.end(); ++t) body(t);
        },
        tbb::simple_partitioner());
  });
}

std::string Executor::engine() { return std::string("oneTBB ") + TBB_runtime_version(); }

bool Executor::parallel_build() { return true; }

#else

struct Executor::Arena {};

Executor::Executor() = default;

void Executor::set_threads(int threads) {
  if (threads != 1)
    throw UsageError("--threads: " + std::to_string(threads) +
                     ": this build has no oneTBB (libtbb-dev), so every backend runs on 1 thread");
}

int Executor::threads() const { return 1; }

void Executor::for_each_tile(int tiles, const std::function<void(int)>& body) {
  for (int t = 0; t < tiles; ++t) body(t);
}

std::string Executor::engine() { return "serial (built without oneTBB)"; }

bool Executor::parallel_build() { return false; }

#endif

Executor::~Executor() = default;

void Executor::for_each_band(std::size_t n, std::size_t band,
                             const std::function<void(std::size_t, std::size_t)>& body) {
  const std::size_t bands = (n + band - 1) / band;
  for_each_tile(int(bands), [&](int b) {
    const std::size_t begin = std::size_t(b) * band;
    body(begin, std::min(n, begin + band));
  });
}

void Executor::sum_in_order(float* out, std::span<const float* const> partials, std::size_t n) {
  // Bands of 1024 floats: a few microseconds each, many bands per thread.
  constexpr std::size_t kBand = 1024;
  for_each_band(n, kBand, [&](std::size_t begin, std::size_t end) {
    std::copy(partials[0] + begin, partials[0] + end, out + begin);
    for (std::size_t p = 1; p < partials.size(); ++p)
      for (std::size_t i = begin; i < end; ++i) out[i] += partials[p][i];
  });
}

}  // namespace mnistbench
