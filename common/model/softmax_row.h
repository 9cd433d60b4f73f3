#pragma once
// The softmax of one row in plain scalar code: naive's definition, which the
// backends without their own vector version (blas, tbb) call row by row.

#include <algorithm>
#include <cmath>

namespace mnistbench {

// p (cols) = softmax(z (cols)); p may not alias z.
inline void softmax_row(float* p, const float* z, int cols) {
  // Subtracting the row's maximum keeps exp() from overflowing; the result is unchanged.
  const float max = *std::max_element(z, z + cols);
  float sum = 0.0f;
  for (int j = 0; j < cols; ++j) {
    p[j] = std::exp(z[j] - max);
    sum += p[j];
  }
  for (int j = 0; j < cols; ++j) p[j] /= sum;
}

}  // namespace mnistbench
