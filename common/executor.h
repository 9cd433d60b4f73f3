#pragma once
// The one parallel executor every backend may use, so that --threads means
// the same for all of them. It is deterministic by construction: callers cut
// their work into tiles fixed by the problem size, never by the thread count;
// the executor only decides which thread runs which tile, and reductions add
// the tiles' partial results in tile order. So 1, 2 or 16 threads give the
// same bits.
//
// oneTBB runs the tiles (a task arena per executor) when the build found it;
// without it every tile runs in order on the calling thread and only one
// thread can be asked for.

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>

namespace mnistbench {

class Executor {
 public:
  // Starts with every core the machine has (or one, without oneTBB).
  Executor();
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Uses this many threads from now on. Throws UsageError naming --threads
  // above kMaxThreads, or above 1 in a build without oneTBB.
  void set_threads(int threads);
  int threads() const;

  // Calls body(t) once for every tile t in [0, tiles), concurrently across
  // threads; returns when all are done. A single tile runs inline.
  void for_each_tile(int tiles, const std::function<void(int)>& body);

  // Calls body(begin, end) over [0, n) in bands of `band` items (the last
  // may be shorter): for elementwise work and for ordered reductions.
  void for_each_band(std::size_t n, std::size_t band,
                     const std::function<void(std::size_t, std::size_t)>& body);

  // out (n) = partials[0] + partials[1] + ..., added element by element in
  // the partials' order, whatever the thread count.
  void sum_in_order(float* out, std::span<const float* const> partials, std::size_t n);

  // "oneTBB 2021.8.0" or "serial (built without oneTBB)": for BackendInfo::library.
  static std::string engine();
  static bool parallel_build();

  // Far more than any machine this runs on has cores; a bound so that a typo
  // (--threads 100000) is an error rather than 100,000 threads.
  static constexpr int kMaxThreads = 256;

 private:
  struct Arena;
  std::unique_ptr<Arena> arena_;
};

}  // namespace mnistbench
