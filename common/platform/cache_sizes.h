#pragma once
// This machine's data caches, as the kernels that block their loops for them
// need: the simd backend derives its tile sizes from these
// (backends/simd/tile_choice.h), and `list` and `profile` print them with
// the tiles, so each result records what they were derived from.
//
// Read from Linux's sysfs (/sys/devices/system/cpu/cpu0/cache/index*/: level,
// type, size). Anything that cannot be read (another OS, a container that
// hides sysfs, a file that does not parse) falls back, level by level, to
// kFallbackCacheSizes, never to an error: every blocking derived from the
// fallback still fits the caches of any x86-64 or Arm core of the last decade.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mnistbench {

struct CacheSizes {
  std::size_t l1d = 0;  // bytes: one core's level-1 data cache
  std::size_t l2 = 0;   // bytes: the level-2 cache (one core's on current x86)
  std::size_t l3 = 0;   // bytes: the level-3 cache, shared by several cores; reported, not used
  // Where the figures came from: "sysfs", "fallback", or "sysfs, fallback for L3".
  std::string source;
};

// The smallest of the common cores (Intel Skylake client: 32 KiB L1d, 256 KiB
// L2; L3 as on a small desktop part): blocks that fit these fit everywhere,
// at some cost in speed on larger caches.
inline constexpr std::size_t kFallbackL1d = 32 * 1024;
inline constexpr std::size_t kFallbackL2 = 256 * 1024;
inline constexpr std::size_t kFallbackL3 = 8 * 1024 * 1024;

// sysfs's spelling of a size: "48K", "1024K", "32M", or plain bytes; nullopt
// for anything else, or zero.
std::optional<std::size_t> parse_cache_size(std::string_view text);

// The caches described under cache_dir (a sysfs cpuN/cache folder, or a test's
// copy of one), each level not found there taken from the fallback.
CacheSizes read_cache_sizes(const std::string& cache_dir);

// This machine's, read once (cpu0: the cores of the machines this runs on
// are alike).
const CacheSizes& machine_cache_sizes();

// "L1d 48 KiB, L2 1024 KiB, L3 32768 KiB (sysfs)"
std::string describe(const CacheSizes& caches);

}  // namespace mnistbench
