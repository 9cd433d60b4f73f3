#pragma once
// The one parallel executor every backend may use, so that --threads means
// the same for all of them. It is deterministic by construction: callers cut
// their work into tiles fixed by the problem size, never by the thread count;
// the executor only decides which thread runs which tile, and reductions add
// the tiles' partial results in tile order. So 1, 2 or 16 threads give the
// same bits.
//
// oneTBB runs the tiles (a task arena per executor) when the build found it;
// without it, a small std::thread pool does (executor.cpp says why TSan
// builds use it too).

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

namespace mnistbench {

// A reference to a callable for the length of one call: a lambda passed to
// the executor is never copied or allocated (std::function allocates for
// captures over two pointers, which would put an allocation in every op).
template <class Signature>
class FunctionRef;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef>)
  FunctionRef(F&& f)  // NOLINT(google-explicit-constructor): takes lambdas as they are written
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}

  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

class Executor {
 public:
  // Starts with every core the machine has.
  Executor();
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Uses this many threads from now on. Throws UsageError naming --threads
  // outside 1 to kMaxThreads.
  void set_threads(int threads);
  int threads() const;

  // Calls body(t) once for every tile t in [0, tiles), concurrently across
  // threads; returns when all are done. A single tile runs inline.
  void for_each_tile(int tiles, FunctionRef<void(int)> body);

  // Calls body(begin, end) over [0, n) in bands of `band` items (the last
  // may be shorter): for elementwise work and for ordered reductions.
  void for_each_band(std::size_t n, std::size_t band, FunctionRef<void(std::size_t, std::size_t)> body);

  // out (n) = partials[0] + partials[1] + ..., added element by element in
  // the partials' order, whatever the thread count.
  void sum_in_order(float* out, std::span<const float* const> partials, std::size_t n);

  // "oneTBB 2021.8.0" or "std::thread pool (built without oneTBB)": for BackendInfo::library.
  static std::string engine();

  // Far more than any machine this runs on has cores; a bound so that a typo
  // (--threads 100000) is an error rather than 100,000 threads.
  static constexpr int kMaxThreads = 256;

 private:
  struct Arena;
  std::unique_ptr<Arena> arena_;
};

}  // namespace mnistbench
