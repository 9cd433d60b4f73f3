// The common parallel executor (common/platform/executor.h), on which simd and tbb
// run their threads: every tile runs exactly once on any thread count, and
// its ordered sum gives the serial sum's bits whatever the thread count,
// which is what the backends' thread invariance rests on.

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <vector>

#include "common/platform/errors.h"
#include "common/platform/executor.h"
#include "tests/support/compare.h"

namespace mnistbench::test {
namespace {

// 1, 2 and more threads than this machine has cores. A build without oneTBB
// runs its own pool of threads, so every count is valid there too.
const int kThreadCounts[] = {1, 2, 16};

TEST(Executor, EveryTileRunsExactlyOnce) {
  Executor executor;
  for (int threads : kThreadCounts) {
    executor.set_threads(threads);
    EXPECT_EQ(executor.threads(), threads);
    for (int tiles : {0, 1, 7, 1000}) {
      std::vector<std::atomic<int>> runs(std::size_t(tiles) + 1);
      executor.for_each_tile(tiles, [&](int t) { runs[std::size_t(t)]++; });
      for (int t = 0; t < tiles; ++t)
        EXPECT_EQ(runs[std::size_t(t)].load(), 1) << "tile " << t << " of " << tiles << ", " << threads << " threads";
      EXPECT_EQ(runs[std::size_t(tiles)].load(), 0) << "a tile past the end ran";
    }
  }
}

TEST(Executor, BandsCoverTheRangeOnce) {
  Executor executor;
  executor.set_threads(2);
  const std::size_t n = 10001;
  std::vector<std::atomic<int>> covered(n);
  executor.for_each_band(n, 1000, [&](std::size_t begin, std::size_t end) {
    EXPECT_EQ(begin % 1000, 0u);
    EXPECT_EQ(end, std::min(n, begin + 1000));  // only the last band is short
    for (std::size_t i = begin; i < end; ++i) covered[i]++;
  });
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(covered[i].load(), 1) << "item " << i;
}

TEST(Executor, SumInOrderIsTheSerialSumOnAnyThreadCount) {
  // Partials of very different sizes, so that another order of addition
  // would change the rounding, and a length past several bands of the sum.
  const std::size_t n = 5000;
  std::vector<AlignedVector<float>> partials;
  for (int p = 0; p < 6; ++p) {
    partials.push_back(random_values(n, 100 + p));
    for (float& v : partials.back()) v *= float(1 << (4 * p));
  }
  std::vector<const float*> pointers;
  for (const auto& p : partials) pointers.push_back(p.data());
  std::vector<float> serial(n);
  for (std::size_t i = 0; i < n; ++i) {
    serial[i] = partials[0][i];
    for (std::size_t p = 1; p < partials.size(); ++p) serial[i] += partials[p][i];
  }
  Executor executor;
  for (int threads : kThreadCounts) {
    executor.set_threads(threads);
    std::vector<float> out(n, -1.0f);
    executor.sum_in_order(out.data(), pointers, n);
    EXPECT_EQ(std::memcmp(out.data(), serial.data(), n * sizeof(float)), 0)
        << threads << " threads: " << all_close("sum_in_order", serial, out, 0.0, 0.0).message();
  }
}

TEST(Executor, ThreadCountsOutsideTheBoundAreUsageErrors) {
  Executor executor;
  for (int threads : {0, -1, Executor::kMaxThreads + 1, 100000}) {
    try {
      executor.set_threads(threads);
      ADD_FAILURE() << threads << " threads accepted";
    } catch (const UsageError& error) {
      EXPECT_EQ(std::string(error.what()).rfind("--threads: " + std::to_string(threads), 0), 0u)
          << error.what();
    }
  }
  executor.set_threads(3);  // still usable afterwards
  EXPECT_EQ(executor.threads(), 3);
}

}  // namespace
}  // namespace mnistbench::test
