#pragma once
// How one fuzz input becomes an IDX image file and an IDX label file: the
// first two bytes (little-endian) give the image file's length, the image
// file follows, and the rest is the label file. A length past the end takes
// everything, leaving the label file empty.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace mnistbench::fuzz {

inline std::pair<std::span<const std::uint8_t>, std::span<const std::uint8_t>> split_idx_pair(
    const std::uint8_t* data, std::size_t size) {
  if (size < 2) return {};
  const std::size_t wanted = data[0] | std::size_t(data[1]) << 8;
  const std::span<const std::uint8_t> rest(data + 2, size - 2);
  const std::size_t images = std::min(wanted, rest.size());
  return {rest.first(images), rest.subspan(images)};
}

// The inverse, for the seed writer.
inline std::vector<std::uint8_t> join_idx_pair(const std::vector<std::uint8_t>& images,
                                               const std::vector<std::uint8_t>& labels) {
  std::vector<std::uint8_t> joined = {std::uint8_t(images.size()), std::uint8_t(images.size() >> 8)};
  joined.insert(joined.end(), images.begin(), images.end());
  joined.insert(joined.end(), labels.begin(), labels.end());
  return joined;
}

}  // namespace mnistbench::fuzz
