#pragma once
// How the simd backend blocks its loops on this machine: the tile config
// derived from the caches and the vector width, or the one
// MNISTBENCH_SIMD_TILES forces. Header-only and free of intrinsics, like
// simd_path.h, so tests can derive and force configs without linking the
// backend. Each size says what it depends on; none is fitted to one CPU.

#include <algorithm>
#include <charconv>
#include <iterator>
#include <cstddef>
#include <string>
#include <string_view>

#include "backends/simd/tile_config.h"
#include "common/platform/cache_sizes.h"
#include "common/platform/errors.h"

namespace mnistbench::simd {

// The environment variable that forces some or all of the sizes, as
// "block=64,chunk=48,panel=40,prefetch=4096,tile=192"; keys left out keep
// their derived values. Unset (or empty), the derived config runs.
inline constexpr const char* kSimdTilesVariable = "MNISTBENCH_SIMD_TILES";

inline constexpr int kCacheLineBytes = 64;

// Samples a tile of the executor aims at: its partial gradient (one parameter
// block, 7,950 floats for 784-10-10) then costs well under 1% of its
// arithmetic to add up, and a full batch of 59,000 still gives some 60 tiles
// to balance 2 to 16 threads. It depends on the network's size, not the caches.
inline constexpr int kTileSamplesTarget = 1024;

inline int clamped(std::size_t value, int low, int high) {
  return int(std::clamp<std::size_t>(value, std::size_t(low), std::size_t(high)));
}

// input_bytes: one sample's X row as the fused step reads it (784 pixel bytes).
inline TileConfig derive_tile_config(const CacheSizes& caches, int vector_floats,
                                     int input_bytes) {
  TileConfig c{};
  // The axpy form's column tile reads one line of each of chunk rows of X,
  // and with pixel bytes the next tile reads the other half of the same
  // lines: those chunk lines stay in L1d between the two tiles if they take
  // half of it, the other half left to the tile's dW1 rows and the prefetches.
  c.chunk = clamped(caches.l1d / 2 / kCacheLineBytes, 8, 4096);
  // The block's X stays in L2 from the forward product to dW1, beside the
  // next block being prefetched into L2 meanwhile: two blocks in half of L2
  // (the other half for W1, dW1, the activations). At most one chunk, so that
  // dW1 is read and written once per block.
  c.step_block = std::min(c.chunk, clamped(caches.l2 / 4 / std::size_t(std::max(input_bytes, 1)), 1, 4096));
  // The packed panel (chunk rows × panel_columns floats) fills the stack
  // buffer, in whole tiles of the axpy form (2 vectors wide on every path)
  // so that no panel ends in a masked tail.
  const int tile_width = 2 * std::max(vector_floats, 1);
  c.panel_columns = std::max(tile_width, kPanelFloats / c.chunk / tile_width * tile_width);
  // The dot form prefetches into L2 this far ahead of the rows it reads: a
  // quarter of L1d's worth of lines (12 KiB, 15 rows of pixel bytes, on a
  // 48 KiB L1d), far enough to cover memory's latency at the rate the tiles
  // consume rows, and a small fraction of L2 so it cannot crowd out the
  // block. It scales with the core's size; the exact fraction is a judgement,
  // not a measurement.
  c.prefetch_bytes = clamped(caches.l1d / 4, 0, 1 << 20);
  // Whole blocks, as near kTileSamplesTarget as they come.
  c.tile_rows = c.step_block * std::max(1, (kTileSamplesTarget + c.step_block / 2) / c.step_block);
  return c;
}

// "block 334, chunk 384, panel 32, prefetch 12288 B, tile 1002"
inline std::string describe(const TileConfig& c) {
  return "block " + std::to_string(c.step_block) + ", chunk " + std::to_string(c.chunk) +
         ", panel " + std::to_string(c.panel_columns) + ", prefetch " +
         std::to_string(c.prefetch_bytes) + " B, tile " + std::to_string(c.tile_rows);
}

// The config for a value of MNISTBENCH_SIMD_TILES (null or empty: not set):
// derived with each key given replacing its size. An unknown key, a missing
// '=', or a value that is not a whole number in the key's range is a
// UsageError whose one-line message starts with the variable and the value.
inline TileConfig choose_tile_config(const char* value, const TileConfig& derived) {
  TileConfig c = derived;
  if (value == nullptr || *value == '\0') return c;
  const std::string prefix = std::string(kSimdTilesVariable) + "=" + value + ": ";
  struct Key {
    const char* name;
    int TileConfig::*size;
    int low, high;
  };
  const Key keys[] = {{"block", &TileConfig::step_block, 1, 1 << 16},
                      {"chunk", &TileConfig::chunk, 1, 1 << 16},
                      {"panel", &TileConfig::panel_columns, 1, kPanelFloats},
                      {"prefetch", &TileConfig::prefetch_bytes, 0, 1 << 30},
                      {"tile", &TileConfig::tile_rows, 1, 1 << 24}};
  std::string_view rest = value;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos)
      throw UsageError(prefix + "'" + std::string(item) +
                       "' is not key=number (keys: block, chunk, panel, prefetch, tile)");
    const std::string_view name = item.substr(0, equals), number = item.substr(equals + 1);
    const Key* key = std::find_if(std::begin(keys), std::end(keys),
                                  [&](const Key& k) { return name == k.name; });
    if (key == std::end(keys))
      throw UsageError(prefix + "unknown key '" + std::string(name) +
                       "' (valid: block, chunk, panel, prefetch, tile)");
    long long parsed = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), parsed);
    if (error != std::errc() || end != number.data() + number.size() || parsed < key->low ||
        parsed > key->high)
      throw UsageError(prefix + "'" + std::string(name) + "' needs a whole number from " +
                       std::to_string(key->low) + " to " + std::to_string(key->high));
    c.*key->size = int(parsed);
  }
  return c;
}

}  // namespace mnistbench::simd
