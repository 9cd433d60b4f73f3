#include "common/model/parameters.h"

#include <algorithm>
#include <cmath>

#include "common/train/random.h"

namespace mnistbench {

namespace {

// Each view starts on a 16-float boundary so a backend may use aligned loads on it.
std::size_t padded(std::size_t n) { return (n + 15) / 16 * 16; }

}  // namespace

Parameters::Parameters(NetworkShape shape) : shape_(std::move(shape)) {
  std::size_t end = 0;
  for (int l = 1; l <= shape_.layers(); ++l) {
    offsets_.push_back(end);
    end += padded(shape_.weight_count(l));
    offsets_.push_back(end);
    end += padded(std::size_t(shape_.fan_out(l)));
  }
  data_.assign(end, 0.0f);
}

const char* to_string(Initialisation init) {
  return init == Initialisation::uniform ? "uniform" : "he";
}

namespace {

void fill_uniform(float* values, std::size_t n, float low, float high, Random& random) {
  for (std::size_t i = 0; i < n; ++i) values[i] = low + (high - low) * random.uniform();
}

}  // namespace

void initialise(Parameters& params, Initialisation init, std::uint64_t seed) {
  Random random(seed, kInitStream);
  const NetworkShape& s = params.shape();
  // Drawn in the tutorial's order, W1 b1 W2 b2 ..., so the sequence is easy to reproduce.
  for (int l = 1; l <= s.layers(); ++l) {
    if (init == Initialisation::uniform) {
      fill_uniform(params.weights(l), s.weight_count(l), -0.5f, 0.5f, random);
      fill_uniform(params.bias(l), std::size_t(s.fan_out(l)), -0.5f, 0.5f, random);
      continue;
    }
    // He-uniform keeps the variance 2/fan_in of He's normal initialisation
    // without a transcendental function, whose last bit differs between libms.
    const float limit = std::sqrt(6.0f / float(s.fan_in(l)));
    fill_uniform(params.weights(l), s.weight_count(l), -limit, limit, random);
    std::fill_n(params.bias(l), s.fan_out(l), 0.0f);
  }
}

}  // namespace mnistbench
