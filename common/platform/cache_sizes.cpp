#include "common/platform/cache_sizes.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace mnistbench {
namespace {

// The first line of a small sysfs file, or empty when it cannot be read.
std::string first_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (in) std::getline(in, line);
  return line;
}

}  // namespace

std::optional<std::size_t> parse_cache_size(std::string_view text) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || value == 0) return std::nullopt;
  const std::string_view unit = text.substr(std::size_t(end - text.data()));
  std::size_t scale = 1;
  if (unit == "K") scale = std::size_t(1) << 10;
  else if (unit == "M") scale = std::size_t(1) << 20;
  else if (unit == "G") scale = std::size_t(1) << 30;
  else if (!unit.empty()) return std::nullopt;
  if (value > std::size_t(-1) / scale) return std::nullopt;
  return value * scale;
}

CacheSizes read_cache_sizes(const std::string& cache_dir) {
  CacheSizes found;
  std::error_code error;
  for (std::filesystem::directory_iterator it(cache_dir, error), end; !error && it != end;
       it.increment(error)) {
    const std::filesystem::path& index = it->path();
    if (index.filename().string().rfind("index", 0) != 0) continue;
    const std::string level = first_line(index / "level"), type = first_line(index / "type");
    const std::optional<std::size_t> size = parse_cache_size(first_line(index / "size"));
    if (!size || type == "Instruction") continue;
    if (level == "1" && type == "Data") found.l1d = *size;
    else if (level == "2") found.l2 = *size;
    else if (level == "3") found.l3 = *size;
  }
  std::string missing;
  const auto fill = [&](std::size_t& size, std::size_t fallback, const char* name) {
    if (size != 0) return;
    size = fallback;
    missing += std::string(missing.empty() ? "" : ", ") + name;
  };
  fill(found.l1d, kFallbackL1d, "L1d");
  fill(found.l2, kFallbackL2, "L2");
  fill(found.l3, kFallbackL3, "L3");
  if (missing == "L1d, L2, L3") found.source = "fallback";
  else if (missing.empty()) found.source = "sysfs";
  else found.source = "sysfs, fallback for " + missing;
  return found;
}

const CacheSizes& machine_cache_sizes() {
  static const CacheSizes caches = read_cache_sizes("/sys/devices/system/cpu/cpu0/cache");
  return caches;
}

std::string describe(const CacheSizes& caches) {
  return "L1d " + std::to_string(caches.l1d / 1024) + " KiB, L2 " + std::to_string(caches.l2 / 1024) +
         " KiB, L3 " + std::to_string(caches.l3 / 1024) + " KiB (" + caches.source + ")";
}

}  // namespace mnistbench
