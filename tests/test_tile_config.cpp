// How the simd backend sizes its loop blocking: the cache sizes read from a
// sysfs tree (and the fallback when there is none), the tile config derived
// from them, and MNISTBENCH_SIMD_TILES's parsing and errors. Pure functions,
// so these run the same whether or not the backend is built.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "backends/simd/tile_choice.h"
#include "common/platform/cache_sizes.h"
#include "common/platform/errors.h"
#include "tests/support/refusals.h"

namespace mnistbench::test {
namespace {

using simd::TileConfig;

constexpr std::size_t kKiB = 1024;

TEST(CacheSizes, ParsesSysfsSpellings) {
  EXPECT_EQ(parse_cache_size("48K"), 48 * kKiB);
  EXPECT_EQ(parse_cache_size("32M"), 32 * kKiB * kKiB);
  EXPECT_EQ(parse_cache_size("512"), 512u);
  for (const char* bad : {"", "K", "0K", "-1K", "48KB", "48 K", "1.5M", "99999999999999999999K"})
    EXPECT_EQ(parse_cache_size(bad), std::nullopt) << bad;
}

// A cpuN/cache folder like sysfs's, with an index per (level, type, size).
class FakeSysfs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("mnistbench_cache_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  void add(int index, const std::string& level, const std::string& type, const std::string& size) {
    const auto folder = dir / ("index" + std::to_string(index));
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "level") << level << "\n";
    std::ofstream(folder / "type") << type << "\n";
    std::ofstream(folder / "size") << size << "\n";
  }
  std::filesystem::path dir;
};

TEST_F(FakeSysfs, ReadsEachLevel) {
  add(0, "1", "Data", "48K");
  add(1, "1", "Instruction", "32K");
  add(2, "2", "Unified", "1024K");
  add(3, "3", "Unified", "32768K");
  const CacheSizes caches = read_cache_sizes(dir.string());
  EXPECT_EQ(caches.l1d, 48 * kKiB);
  EXPECT_EQ(caches.l2, 1024 * kKiB);
  EXPECT_EQ(caches.l3, 32 * kKiB * kKiB);
  EXPECT_EQ(caches.source, "sysfs");
}

TEST_F(FakeSysfs, FallsBackPerLevelOnWhatItCannotRead) {
  add(0, "1", "Data", "lots");
  add(2, "2", "Unified", "2M");
  const CacheSizes caches = read_cache_sizes(dir.string());
  EXPECT_EQ(caches.l1d, kFallbackL1d);
  EXPECT_EQ(caches.l2, 2 * kKiB * kKiB);
  EXPECT_EQ(caches.l3, kFallbackL3);
  EXPECT_EQ(caches.source, "sysfs, fallback for L1d, L3");
}

TEST(CacheSizes, NoSysfsIsTheFallback) {
  const CacheSizes caches = read_cache_sizes("/nonexistent/mnistbench/cache");
  EXPECT_EQ(caches.l1d, kFallbackL1d);
  EXPECT_EQ(caches.l2, kFallbackL2);
  EXPECT_EQ(caches.l3, kFallbackL3);
  EXPECT_EQ(caches.source, "fallback");
}

TEST(CacheSizes, ThisMachineHasSome) {
  const CacheSizes& caches = machine_cache_sizes();
  EXPECT_GT(caches.l1d, 0u);
  EXPECT_GE(caches.l2, caches.l1d);
  EXPECT_FALSE(caches.source.empty());
}

// The derivation's rules, on this machine's kind of caches and on others'.
void expect_consistent(const TileConfig& c, int vector_floats) {
  EXPECT_GE(c.step_block, 1);
  EXPECT_LE(c.step_block, c.chunk) << "a block must be one pass of dW1";
  EXPECT_EQ(c.tile_rows % c.step_block, 0) << "tiles are whole blocks";
  EXPECT_EQ(c.panel_columns % (2 * vector_floats), 0) << "panels are whole axpy tiles";
  EXPECT_LE(c.panel_columns, simd::kPanelFloats);
  EXPECT_GE(c.prefetch_bytes, 0);
}

TEST(TileConfig, DerivedFromTheCaches) {
  // AMD Zen 5 (and Zen 4's L2): L1d 48 KiB (Zen 4: 32), L2 1 MiB.
  const TileConfig zen5 = simd::derive_tile_config({48 * kKiB, 1024 * kKiB, 32 * kKiB * kKiB, ""}, 16, 784);
  EXPECT_EQ(zen5.chunk, 384);          // 48 KiB / 2 / 64-byte lines
  EXPECT_EQ(zen5.step_block, 334);     // 1 MiB / 4 / 784 bytes
  EXPECT_EQ(zen5.panel_columns, 32);   // 16384 floats / 384 rows, in 32-float tiles
  EXPECT_EQ(zen5.prefetch_bytes, 12288);
  EXPECT_EQ(zen5.tile_rows, 1002);     // 3 blocks
  expect_consistent(zen5, 16);
  // A larger L2 gives larger blocks, up to a chunk; a smaller L1d, smaller chunks.
  const TileConfig big_l2 = simd::derive_tile_config({48 * kKiB, 2048 * kKiB, 0, ""}, 16, 784);
  EXPECT_EQ(big_l2.step_block, 384);
  const TileConfig fallback =
      simd::derive_tile_config({kFallbackL1d, kFallbackL2, kFallbackL3, ""}, 8, 784);
  EXPECT_EQ(fallback.chunk, 256);
  EXPECT_EQ(fallback.step_block, 83);
  expect_consistent(fallback, 8);
  expect_consistent(simd::derive_tile_config(machine_cache_sizes(), 1, 784), 1);
  // Absurd caches still give a usable config.
  expect_consistent(simd::derive_tile_config({1, 1, 0, ""}, 16, 784), 16);
}

const TileConfig kDerived{100, 200, 32, 4096, 1000};

TEST(TileConfig, ForcedKeysReplaceTheirSizesAlone) {
  const TileConfig c = simd::choose_tile_config("block=7,tile=21", kDerived);
  EXPECT_EQ(c.step_block, 7);
  EXPECT_EQ(c.tile_rows, 21);
  EXPECT_EQ(c.chunk, kDerived.chunk);
  EXPECT_EQ(c.panel_columns, kDerived.panel_columns);
  EXPECT_EQ(c.prefetch_bytes, kDerived.prefetch_bytes);
  const TileConfig all = simd::choose_tile_config("block=1,chunk=2,panel=3,prefetch=0,tile=5", kDerived);
  EXPECT_EQ(simd::describe(all), "block 1, chunk 2, panel 3, prefetch 0 B, tile 5");
  EXPECT_EQ(simd::describe(simd::choose_tile_config(nullptr, kDerived)), simd::describe(kDerived));
  EXPECT_EQ(simd::describe(simd::choose_tile_config("", kDerived)), simd::describe(kDerived));
}

// One line, starting with the variable and the value, saying what is wrong.
void expect_refused(const std::string& value, const std::string& mentions) {
  EXPECT_TRUE(fails_with<UsageError>([&] { simd::choose_tile_config(value.c_str(), kDerived); },
                                     {std::string(simd::kSimdTilesVariable) + "=" + value + ": " + mentions}));
}

TEST(TileConfig, BadValuesAreUsageErrors) {
  expect_refused("blocks=4", "unknown key 'blocks' (valid: block, chunk, panel, prefetch, tile)");
  expect_refused("block", "'block' is not key=number");
  expect_refused("block=0", "'block' needs a whole number from 1 to 65536");
  expect_refused("block=12x", "'block' needs a whole number");
  expect_refused("block=-3", "'block' needs a whole number");
  expect_refused("panel=16385", "'panel' needs a whole number from 1 to 16384");
  expect_refused("prefetch=-1", "'prefetch' needs a whole number from 0 to");
  expect_refused(",block=4", "'' is not key=number");
  expect_refused("tile=99999999999999999999", "'tile' needs a whole number");
}

}  // namespace
}  // namespace mnistbench::test
