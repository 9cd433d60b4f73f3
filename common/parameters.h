#pragma once
// The network's parameters (and, with the same type, their gradients) in one
// flat block with named views, so the update step is one loop over one buffer.
//
// Shapes are the tutorial's: W1 (hidden, inputs), b1 (hidden),
// W2 (outputs, hidden), b2 (outputs); each view is contiguous and row-major.

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/aligned.h"

namespace mnistbench {

struct NetworkShape {
  int inputs = 784;
  int hidden = 10;
  int outputs = 10;

  std::size_t w1_size() const { return std::size_t(hidden) * inputs; }
  std::size_t w2_size() const { return std::size_t(outputs) * hidden; }
  std::size_t parameter_count() const { return w1_size() + hidden + w2_size() + outputs; }
  bool operator==(const NetworkShape&) const = default;
};

class Parameters {
 public:
  explicit Parameters(NetworkShape shape);

  const NetworkShape& shape() const { return shape_; }

  float* w1() { return data_.data() + w1_offset(); }
  float* b1() { return data_.data() + b1_offset(); }
  float* w2() { return data_.data() + w2_offset(); }
  float* b2() { return data_.data() + b2_offset(); }
  const float* w1() const { return data_.data() + w1_offset(); }
  const float* b1() const { return data_.data() + b1_offset(); }
  const float* w2() const { return data_.data() + w2_offset(); }
  const float* b2() const { return data_.data() + b2_offset(); }

  std::span<float> all() { return data_; }
  std::span<const float> all() const { return data_; }

 private:
  // Each view starts on a 16-float boundary so a backend may use aligned loads on it.
  static std::size_t padded(std::size_t n) { return (n + 15) / 16 * 16; }
  std::size_t w1_offset() const { return 0; }
  std::size_t b1_offset() const { return padded(shape_.w1_size()); }
  std::size_t w2_offset() const { return b1_offset() + padded(shape_.hidden); }
  std::size_t b2_offset() const { return w2_offset() + padded(shape_.w2_size()); }

  NetworkShape shape_;
  AlignedVector<float> data_;
};

enum class Initialisation {
  uniform,  // the tutorial's: every value uniform in [-0.5, 0.5)
  he,       // He-uniform: weights uniform in [-sqrt(6/fan_in), sqrt(6/fan_in)), biases 0
};

// Fills params from seed with the portable generator: the same values on every platform.
void initialise(Parameters& params, Initialisation init, std::uint64_t seed);

}  // namespace mnistbench
