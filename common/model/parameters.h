#pragma once
// The network's parameters (and, with the same type, their gradients) in one
// flat block with named views, so the update step is one loop over one buffer.
//
// Shapes are the tutorial's, for each layer l = 1..L of the NetworkShape:
// W(l) (fan_out, fan_in) and b(l) (fan_out), each contiguous and row-major,
// in the order W1 b1 W2 b2 ... .

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/platform/aligned.h"
#include "common/model/network_shape.h"

namespace mnistbench {

class Parameters {
 public:
  explicit Parameters(NetworkShape shape);

  const NetworkShape& shape() const { return shape_; }

  float* weights(int l) { return data_.data() + offsets_[2 * (l - 1)]; }
  float* bias(int l) { return data_.data() + offsets_[2 * (l - 1) + 1]; }
  const float* weights(int l) const { return data_.data() + offsets_[2 * (l - 1)]; }
  const float* bias(int l) const { return data_.data() + offsets_[2 * (l - 1) + 1]; }

  // Every view and the zero padding between them: what the update walks.
  std::span<float> all() { return data_; }
  std::span<const float> all() const { return data_; }

 private:
  NetworkShape shape_;
  std::vector<std::size_t> offsets_;  // W1, b1, W2, b2, ... into data_
  AlignedVector<float> data_;
};

enum class Initialisation {
  uniform,  // the tutorial's: every value uniform in [-0.5, 0.5)
  he,       // He-uniform: weights uniform in [-sqrt(6/fan_in), sqrt(6/fan_in)), biases 0
};

const char* to_string(Initialisation init);

// Fills params from seed with the portable generator: the same values on every platform.
void initialise(Parameters& params, Initialisation init, std::uint64_t seed);

}  // namespace mnistbench
