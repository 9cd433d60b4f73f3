#include "common/platform/executor.h"

#include <algorithm>
#include <string>

#include "common/platform/errors.h"

#if MNISTBENCH_HAVE_TBB
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include <optional>
#else
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>
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

void Executor::for_each_tile(int tiles, FunctionRef<void(int)> body) {
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

#else

// Without oneTBB: a small pool of std::threads that take tiles from a shared
// counter. The tiles and the order of every reduction are the caller's, as
// with oneTBB, so the results are the same bits. ThreadSanitizer builds use
// it too: libtbb is not built with TSan, whose reports about its internals
// would be false; this pool is instrumented end to end.
struct Executor::Arena {
  ~Arena() { resize(0); }

  void resize(int workers) {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread& thread : threads) thread.join();
    threads.clear();
    stopping = false;
    // A new worker has seen every job so far: it waits for the next one.
    for (int i = 0; i < workers; ++i) threads.emplace_back([this, seen = generation] { serve(seen); });
  }

  void run(int tiles, FunctionRef<void(int)> body) {
    {
      std::lock_guard lock(mutex);
      job = &body;
      job_tiles = tiles;
      next_tile = 0;
      busy = int(threads.size());
      ++generation;
    }
    wake.notify_all();
    take_tiles(body, tiles);
    std::unique_lock lock(mutex);
    finished.wait(lock, [this] { return busy == 0; });
  }

  void serve(std::uint64_t seen) {
    while (true) {
      std::unique_lock lock(mutex);
      wake.wait(lock, [&] { return stopping || generation != seen; });
      if (stopping) return;
      seen = generation;
      const FunctionRef<void(int)> body = *job;
      const int tiles = job_tiles;
      lock.unlock();
      take_tiles(body, tiles);
      lock.lock();
      if (--busy == 0) finished.notify_one();
    }
  }

  void take_tiles(FunctionRef<void(int)> body, int tiles) {
    for (int t = next_tile++; t < tiles; t = next_tile++) body(t);
  }

  std::vector<std::thread> threads;  // the workers; the caller is one more
  std::mutex mutex;
  std::condition_variable wake, finished;
  const FunctionRef<void(int)>* job = nullptr;
  int job_tiles = 0;
  std::atomic<int> next_tile{0};
  int busy = 0;
  std::uint64_t generation = 0;
  bool stopping = false;
};

Executor::Executor() : arena_(std::make_unique<Arena>()) {
  set_threads(int(std::max(1u, std::thread::hardware_concurrency())));
}

void Executor::set_threads(int threads) {
  if (threads < 1 || threads > kMaxThreads)
    throw UsageError("--threads: " + std::to_string(threads) + " is outside 1-" +
                     std::to_string(kMaxThreads));
  arena_->resize(threads - 1);
}

int Executor::threads() const { return int(arena_->threads.size()) + 1; }

void Executor::for_each_tile(int tiles, FunctionRef<void(int)> body) {
  if (tiles <= 1 || arena_->threads.empty()) {
    for (int t = 0; t < tiles; ++t) body(t);
    return;
  }
  arena_->run(tiles, body);
}

std::string Executor::engine() { return "std::thread pool (built without oneTBB)"; }

#endif

Executor::~Executor() = default;

void Executor::for_each_band(std::size_t n, std::size_t band,
                             FunctionRef<void(std::size_t, std::size_t)> body) {
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
