// The simd backend, one instruction-set path at a time: each path this CPU
// supports is forced with MNISTBENCH_SIMD, checked to be the one really
// running (info().isa), and held to naive on matmul at awkward shapes and on
// a training step of each checked network. test_backend_ops and
// test_backend_steps cover every op and step, but only on the path the
// backend picks by itself. Paths the CPU cannot run are skipped, by name.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "backends/simd/simd_path.h"
#include "common/platform/errors.h"
#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/compare.h"
#include "tests/support/forced_path.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {
namespace {

using simd::kSimdPathVariable;

bool simd_is_built() {
  for (const std::string& name : backend_names())
    if (name == "simd") return true;
  return false;
}

// Each path's key and the name info().isa must give for it, spelled out here
// rather than taken from the backend, so a mix-up between them cannot pass.
struct PathCase {
  simd::SimdPath path;
  std::string key;
  std::string isa;
};

// Test names and failures show the key, not the struct's bytes.
void PrintTo(const PathCase& c, std::ostream* out) { *out << c.key; }

const PathCase kPathCases[] = {
    {simd::SimdPath::avx512, "avx512", "AVX-512"},
    {simd::SimdPath::avx2, "avx2", "AVX2+FMA"},
    {simd::SimdPath::scalar, "scalar", "scalar"},
};

class ForcedSimdPath : public ::testing::TestWithParam<PathCase> {
 protected:
  void SetUp() override {
    if (!simd_is_built()) GTEST_SKIP() << "the simd backend is not built";
    if (!simd::cpu_supports(GetParam().path))
      GTEST_SKIP() << "this CPU cannot run the " << GetParam().key << " path";
    const ForcedPath forced(GetParam().key);
    backend = make_backend("simd");
  }

  std::unique_ptr<Backend> backend;
  std::unique_ptr<Backend> naive = make_backend("naive");
};

TEST(SimdPaths, EveryPathHasACase) {
  ASSERT_EQ(std::size(simd::kSimdPaths), std::size(kPathCases));
  for (std::size_t i = 0; i < std::size(kPathCases); ++i) {
    EXPECT_EQ(simd::kSimdPaths[i], kPathCases[i].path);
    EXPECT_EQ(simd::simd_path_key(kPathCases[i].path), kPathCases[i].key);
  }
  EXPECT_EQ(simd::supported_simd_paths().back(), "scalar");
}

TEST_P(ForcedSimdPath, ForcedPathIsTheOneRunning) {
  const BackendInfo info = backend->info();
  EXPECT_EQ(info.isa, GetParam().isa);
  // Threads run on the common executor, whose engine the library names.
  EXPECT_EQ(info.library.rfind("hand-written intrinsics on ", 0), 0u) << info.library;
}

TEST_P(ForcedSimdPath, MatmulMatchesNaiveOnAwkwardShapes) {
  // Around each kernel's edges: one element; tails of 1 and width - 1 for
  // both vector widths (8 and 16); row counts that leave every tile height
  // (1, 2, 4, 5, 10) a remainder; K either side of the switch from the packed
  // to the dot form (4 vectors: 32 for AVX2, 64 for AVX-512); K and N past
  // 128 (a chunk and a packed panel on some machines: test_simd_tiles forces
  // those sizes); the training shapes, with the batch cut short of the tiles.
  const int shapes[][3] = {{1, 1, 1},     {1, 17, 1},    {2, 1, 15},     {3, 31, 33},
                           {11, 9, 63},   {21, 10, 64},  {6, 47, 65},    {10, 33, 129},
                           {5, 130, 7},   {37, 10, 784}, {10, 784, 37},  {10, 10, 131},
                           {131, 10, 10}, {9, 785, 70},  {23, 200, 150}, {1, 10, 784}};
  for (auto trans_a : {Transpose::no, Transpose::yes})
    for (auto trans_b : {Transpose::no, Transpose::yes})
      for (const auto& s : shapes) {
        EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {trans_a, trans_b, s[0], s[1], s[2], 1.0f, 0.0f}));
        EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {trans_a, trans_b, s[0], s[1], s[2], -0.5f, 0.75f}));
      }
}

TEST_P(ForcedSimdPath, StepMatchesNaive) {
  // 1 sample; a batch inside the first block of the fused step on common
  // caches; one past it on small ones (test_simd_tiles forces small and large
  // blocks). On every checked network: the fused step where it applies, the
  // fine ops elsewhere.
  for (const NetworkShape& shape : checked_networks())
    for (int m : {1, 77, 300})
      expect_step_matches_naive(*backend, *naive, shape, random_batch(m, shape.inputs(), 3));
}

INSTANTIATE_TEST_SUITE_P(Forced, ForcedSimdPath, ::testing::ValuesIn(kPathCases),
                         [](const auto& info) { return info.param.key; });

// The error must be one line that starts with the variable and the value
// and says what would do.
void expect_usage_error(const std::function<void()>& choose, const std::string& value,
                        const std::string& mentions) {
  try {
    choose();
    ADD_FAILURE() << kSimdPathVariable << "=" << value << " was accepted";
  } catch (const UsageError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.rfind(std::string(kSimdPathVariable) + "=" + value + ": ", 0), 0u)
        << message;
    EXPECT_NE(message.find(mentions), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// Through the backend, as a user meets it.
void expect_backend_refuses(const std::string& value, const std::string& mentions) {
  const ForcedPath forced(value);
  expect_usage_error([] { make_backend("simd"); }, value, mentions);
}

TEST(SimdPaths, UnknownValueIsAUsageError) {
  if (!simd_is_built()) GTEST_SKIP() << "the simd backend is not built";
  expect_backend_refuses("sse9",
                         "unknown SIMD path (valid: avx512, avx2, scalar; supported here: ");
  expect_backend_refuses("AVX2", "valid: avx512, avx2, scalar");  // keys are lower case
}

// On a pretend CPU with AVX2 but not AVX-512, so it runs on any machine.
TEST(SimdPaths, PathTheCpuCannotRunIsAUsageError) {
  const auto avx2_cpu = [](simd::SimdPath path) { return path != simd::SimdPath::avx512; };
  expect_usage_error([&] { simd::choose_simd_path("avx512", avx2_cpu); }, "avx512",
                     "this CPU cannot run that path (supported here: avx2, scalar)");
  EXPECT_EQ(simd::choose_simd_path("avx2", avx2_cpu), simd::SimdPath::avx2);
  EXPECT_EQ(simd::choose_simd_path(nullptr, avx2_cpu), simd::SimdPath::avx2);
  EXPECT_EQ(simd::choose_simd_path("", avx2_cpu), simd::SimdPath::avx2);
  const auto bare_cpu = [](simd::SimdPath path) { return path == simd::SimdPath::scalar; };
  expect_usage_error([&] { simd::choose_simd_path("avx2", bare_cpu); }, "avx2",
                     "supported here: scalar)");
  EXPECT_EQ(simd::choose_simd_path(nullptr, bare_cpu), simd::SimdPath::scalar);
}

// And on this CPU, through the backend, for whichever paths it lacks.
TEST(SimdPaths, PathThisCpuCannotRunIsAUsageError) {
  if (!simd_is_built()) GTEST_SKIP() << "the simd backend is not built";
  int unsupported = 0;
  for (const PathCase& c : kPathCases)
    if (!simd::cpu_supports(c.path)) {
      ++unsupported;
      expect_backend_refuses(c.key, "this CPU cannot run that path");
    }
  if (unsupported == 0) GTEST_SKIP() << "this CPU supports every path";
}

TEST(SimdPaths, UnsetPicksTheBestSupportedPath) {
  if (!simd_is_built()) GTEST_SKIP() << "the simd backend is not built";
  const ForcedPath forced("");  // empty counts as unset
  const std::string best = simd::supported_simd_paths().front();
  for (const PathCase& c : kPathCases) {
    if (c.key == best) {
      EXPECT_EQ(make_backend("simd")->info().isa, c.isa);
    }
  }
}

}  // namespace
}  // namespace mnistbench::test
