#include "common/model/precision.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "common/platform/errors.h"

namespace mnistbench {

std::string_view precision_key(Precision precision) {
  switch (precision) {
    case Precision::bf16: return "bf16";
    case Precision::int8: return "int8";
    case Precision::fp32: break;
  }
  return "fp32";
}

std::vector<std::string> precision_keys() {
  std::vector<std::string> keys;
  for (Precision p : kPrecisions) keys.emplace_back(precision_key(p));
  return keys;
}

Precision parse_precision(std::string_view key, std::string_view flag) {
  for (Precision p : kPrecisions)
    if (precision_key(p) == key) return p;
  throw UsageError(std::string(flag) + ": unknown precision '" + std::string(key) +
                   "' (valid: fp32, bf16, int8)");
}

std::vector<Precision> parse_precisions(std::string_view keys, std::string_view flag) {
  std::vector<Precision> precisions;
  std::size_t start = 0;
  while (start <= keys.size()) {
    const std::size_t comma = std::min(keys.find(',', start), keys.size());
    const Precision p = parse_precision(keys.substr(start, comma - start), flag);
    if (std::find(precisions.begin(), precisions.end(), p) != precisions.end())
      throw UsageError(std::string(flag) + ": " + std::string(precision_key(p)) + " is given twice");
    precisions.push_back(p);
    start = comma + 1;
  }
  return precisions;
}

std::uint16_t bf16_bits(float x) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
  if (std::isnan(x)) return std::uint16_t((bits >> 16) | 0x40);  // quiet, never rounded to infinity
  // Adding 0x7FFF plus the lowest kept bit rounds to nearest, ties to even.
  const std::uint32_t rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
  return std::uint16_t(rounded >> 16);
}

float round_to_bf16(float x) { return std::bit_cast<float>(std::uint32_t(bf16_bits(x)) << 16); }

namespace {

float max_magnitude(const float* row, int n) {
  float largest = 0.0f;
  for (int i = 0; i < n; ++i) largest = std::max(largest, std::fabs(row[i]));
  return largest;
}

}  // namespace

float int8_row_scale(const float* row, int n) { return max_magnitude(row, n) / 127.0f; }

float int8_inverse_scale(const float* row, int n) {
  const float largest = max_magnitude(row, n);
  return largest > 0.0f ? 127.0f / largest : 0.0f;
}

std::int8_t quantise_int8(float w, float inverse_scale) {
  // nearbyint rounds ties to even in the default rounding mode, as the kernels' conversions do.
  return std::int8_t(std::clamp(std::nearbyint(w * inverse_scale), -127.0f, 127.0f));
}

void lower_forward_weights(Precision precision, float* W, int rows, int cols) {
  if (precision == Precision::fp32) return;
  for (int r = 0; r < rows; ++r) {
    float* row = W + std::size_t(r) * cols;
    if (precision == Precision::bf16) {
      for (int c = 0; c < cols; ++c) row[c] = round_to_bf16(row[c]);
      continue;
    }
    const float scale = int8_row_scale(row, cols), inverse = int8_inverse_scale(row, cols);
    for (int c = 0; c < cols; ++c) row[c] = float(quantise_int8(row[c], inverse)) * scale;
  }
}

}  // namespace mnistbench
