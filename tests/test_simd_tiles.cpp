// The simd backend under forced tile configs (MNISTBENCH_SIMD_TILES), on
// every instruction-set path this CPU runs: any blocking must give naive's
// results to the usual tolerances, so the derived one (tile_choice.h) can
// change with the machine without changing what is computed. Two configs:
// small blocks of sizes that are no multiple of any vector width (so every
// loop ends in a short pass, a short panel and a short tile), and blocks
// larger than the batches of the mini-batch steps, with a panel so wide that
// packed_matmul's chunk shrinks to fit its buffer.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <tuple>

#include "backends/simd/simd_path.h"
#include "backends/simd/tile_choice.h"
#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/forced_path.h"

namespace mnistbench::test {
namespace {

struct TilesCase {
  std::string name;
  std::string value;  // of MNISTBENCH_SIMD_TILES
};

void PrintTo(const TilesCase& c, std::ostream* out) { *out << c.name; }

const TilesCase kTilesCases[] = {
    {"small", "block=7,chunk=5,panel=3,prefetch=100,tile=21"},
    {"large", "block=600,chunk=700,panel=2000,prefetch=0,tile=1200"},
};

using Case = std::tuple<simd::SimdPath, TilesCase>;

bool simd_is_built() {
  for (const std::string& name : backend_names())
    if (name == "simd") return true;
  return false;
}

class ForcedSimdTiles : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    const simd::SimdPath path = std::get<0>(GetParam());
    if (!simd_is_built()) GTEST_SKIP() << "the simd backend is not built";
    if (!simd::cpu_supports(path))
      GTEST_SKIP() << "this CPU cannot run the " << simd::simd_path_key(path) << " path";
    const ForcedPath forced_path(std::string(simd::simd_path_key(path)));
    const ForcedTiles forced_tiles(std::get<1>(GetParam()).value);
    backend = make_backend("simd");
  }

  std::unique_ptr<Backend> backend;
  std::unique_ptr<Backend> naive = make_backend("naive");
};

TEST_P(ForcedSimdTiles, ForcedConfigIsTheOneRunning) {
  const std::string step = backend->fused_step(NetworkShape{}).value_or("");
  const std::string forced = std::string(simd::kSimdTilesVariable) + "=" + std::get<1>(GetParam()).value;
  EXPECT_NE(step.find("forced: " + forced), std::string::npos) << step;
}

TEST_P(ForcedSimdTiles, MatmulMatchesNaive) {
  // K and N either side of each config's chunk and panel; the dot form (K of
  // 64 or more) and the packed one; the training shapes.
  const int shapes[][3] = {{1, 1, 1},    {3, 2, 4},     {11, 3, 5},    {10, 7, 6},
                           {13, 31, 11}, {5, 47, 65},   {10, 784, 37}, {37, 10, 784},
                           {10, 10, 701}, {9, 33, 1401}, {601, 10, 10}, {2, 2001, 9}};
  for (auto trans_a : {Transpose::no, Transpose::yes})
    for (auto trans_b : {Transpose::no, Transpose::yes})
      for (const auto& s : shapes)
        EXPECT_TRUE(matmul_matches_naive(*backend, *naive,
                                         {trans_a, trans_b, s[0], s[1], s[2], -0.5f, 0.75f}));
}

TEST_P(ForcedSimdTiles, StepMatchesNaive) {
  // Odd batches: one sample; inside the first block; several blocks and
  // tiles, the last of each short; more than one large tile.
  for (const NetworkShape& shape : checked_networks())
    for (int m : {1, 5, 77, 601, 2503})
      expect_step_matches_naive(*backend, *naive, shape, random_batch(m, shape.inputs(), 3));
}

INSTANTIATE_TEST_SUITE_P(Forced, ForcedSimdTiles,
                         ::testing::Combine(::testing::ValuesIn(simd::kSimdPaths),
                                            ::testing::ValuesIn(kTilesCases)),
                         [](const auto& info) {
                           return std::string(simd::simd_path_key(std::get<0>(info.param))) + "_" +
                                  std::get<1>(info.param).name;
                         });

}  // namespace
}  // namespace mnistbench::test
