#include "common/parameters.h"

#include <algorithm>
#include <cmath>

#include "common/random.h"

namespace mnistbench {

Parameters::Parameters(NetworkShape shape) : shape_(shape) {
  data_.assign(b2_offset() + padded(shape_.outputs), 0.0f);
}

namespace {

void fill_uniform(float* values, std::size_t n, float low, float high, Random& random) {
  for (std::size_t i = 0; i < n; ++i) values[i] = low + (high - low) * random.uniform();
}

}  // namespace

void initialise(Parameters& params, Initialisation init, std::uint64_t seed) {
  Random random(seed, kInitStream);
  const NetworkShape& s = params.shape();
  // Drawn in the tutorial's order, W1 b1 W2 b2, so the sequence is easy to reproduce.
  if (init == Initialisation::uniform) {
    fill_uniform(params.w1(), s.w1_size(), -0.5f, 0.5f, random);
    fill_uniform(params.b1(), s.hidden, -0.5f, 0.5f, random);
    fill_uniform(params.w2(), s.w2_size(), -0.5f, 0.5f, random);
    fill_uniform(params.b2(), s.outputs, -0.5f, 0.5f, random);
    return;
  }
  // He-uniform keeps the variance 2/fan_in of He's normal initialisation
  // without a transcendental function, whose last bit differs between libms.
  const float limit1 = std::sqrt(6.0f / float(s.inputs));
  const float limit2 = std::sqrt(6.0f / float(s.hidden));
  fill_uniform(params.w1(), s.w1_size(), -limit1, limit1, random);
  std::fill_n(params.b1(), s.hidden, 0.0f);
  fill_uniform(params.w2(), s.w2_size(), -limit2, limit2, random);
  std::fill_n(params.b2(), s.outputs, 0.0f);
}

}  // namespace mnistbench
