// eigen and tbb, one instruction-set build at a time: like simd
// (test_simd_paths), each builds its ops once per instruction set and picks
// one at run time, and MNISTBENCH_SIMD forces it. Each build this CPU runs is
// forced, checked to be the one really running (info().isa), and held to
// naive on matmul at awkward shapes and on training steps of each checked
// network. test_backend_ops and test_backend_steps cover every op and step,
// but only on the build the backend picks by itself.

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "backends/simd/simd_path.h"
#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/forced_path.h"

namespace mnistbench::test {
namespace {

// A backend's build for one path, and the name info().isa must give for it,
// spelled out here rather than taken from the backend, so a mix-up between
// them cannot pass.
struct BuildCase {
  std::string backend;
  simd::SimdPath path;
  std::string key;
  std::string isa;
};

void PrintTo(const BuildCase& c, std::ostream* out) { *out << c.backend << "_" << c.key; }

const BuildCase kBuildCases[] = {
    {"eigen", simd::SimdPath::avx512, "avx512", "AVX-512"},
    {"eigen", simd::SimdPath::avx2, "avx2", "AVX2+FMA"},
    {"eigen", simd::SimdPath::scalar, "scalar", "SSE2 (baseline x86-64)"},
    {"tbb", simd::SimdPath::avx512, "avx512", "AVX-512 (compiler-vectorised loops)"},
    {"tbb", simd::SimdPath::avx2, "avx2", "AVX2+FMA (compiler-vectorised loops)"},
    {"tbb", simd::SimdPath::scalar, "scalar", "SSE2 (compiler-vectorised loops, baseline x86-64)"},
};

bool is_built(const std::string& name) {
  for (const std::string& built : backend_names())
    if (built == name) return true;
  return false;
}

class ForcedBuild : public ::testing::TestWithParam<BuildCase> {
 protected:
  void SetUp() override {
    if (!is_built(GetParam().backend)) GTEST_SKIP() << "the " << GetParam().backend << " backend is not built";
    if (!simd::cpu_supports(GetParam().path))
      GTEST_SKIP() << "this CPU cannot run the " << GetParam().key << " path";
#if !MNISTBENCH_SIMD_AVX_PATHS
    GTEST_SKIP() << "the baseline build's name is spelled for x86-64";
#endif
    const ForcedPath forced(GetParam().key);
    backend = make_backend(GetParam().backend);
  }

  std::unique_ptr<Backend> backend;
  std::unique_ptr<Backend> naive = make_backend("naive");
};

TEST_P(ForcedBuild, ForcedBuildIsTheOneRunning) { EXPECT_EQ(backend->info().isa, GetParam().isa); }

TEST_P(ForcedBuild, MatmulMatchesNaiveOnAwkwardShapes) {
  // One element; vector tails of both widths (8, 16); K either side of the
  // dot product's 16 lanes; C with fewer rows than eigen's 2 bands (so it is
  // cut into column bands, with a short last one) and with more (row bands,
  // a short last one); tbb's samples past one 1024-sample partial.
  const int shapes[][3] = {{1, 1, 1},   {3, 17, 15},  {7, 9, 16},   {5, 33, 17},
                           {10, 130, 70}, {2100, 10, 37}, {10, 65, 2100}, {64, 10, 784}};
  for (auto trans_a : {Transpose::no, Transpose::yes})
    for (auto trans_b : {Transpose::no, Transpose::yes})
      for (const auto& s : shapes) {
        EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {trans_a, trans_b, s[0], s[1], s[2], 1.0f, 0.0f}));
        EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {trans_a, trans_b, s[0], s[1], s[2], -0.5f, 0.75f}));
      }
}

TEST_P(ForcedBuild, StepMatchesNaive) {
  // 1 sample; a batch short of any band; one past eigen's row bands (2 of
  // 1024) and tbb's 1024-sample partials, with a short last one.
  for (const NetworkShape& shape : checked_networks())
    for (int m : {1, 77, 2100})
      expect_step_matches_naive(*backend, *naive, shape, random_batch(m, shape.inputs(), 3));
}

INSTANTIATE_TEST_SUITE_P(Forced, ForcedBuild, ::testing::ValuesIn(kBuildCases),
                         [](const auto& info) { return info.param.backend + "_" + info.param.key; });

}  // namespace
}  // namespace mnistbench::test
