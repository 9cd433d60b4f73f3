#pragma once
// Checks of one backend against naive that more than one test program runs
// (the generic op and step suites, the forced simd paths, the step split).

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "common/platform/aligned.h"
#include "common/model/backend.h"

namespace mnistbench {

// gtest shows a network as its --layers spelling, not its bytes.
inline void PrintTo(const NetworkShape& shape, std::ostream* out) { *out << shape.to_string(); }

}  // namespace mnistbench

namespace mnistbench::test {

struct MatmulCase {
  Transpose trans_a, trans_b;
  int M, N, K;
  float alpha, beta;
};

// backend.matmul against naive.matmul on random A, B and C, each element
// bounded by the float summation error of its own K products (matmul_bounds).
::testing::AssertionResult matmul_matches_naive(Backend& backend, Backend& naive, const MatmulCase& c);

// The layer lists every backend is held to naive on: the tutorial's; a wider
// hidden layer (past one vector of 16 floats); two hidden layers of different
// widths; and two of equal width, where a step that mixed up its layers'
// buffers or weights would still find every size it expects.
std::vector<NetworkShape> checked_networks();

// For test names: "784_32_16_10".
std::string network_name(const NetworkShape& shape);

// m random images as training sees them: bytes, and x = bytes / 255.
// Label i = (i * label_stride) % 10.
struct RandomBatch {
  AlignedVector<float> x;
  std::vector<std::uint8_t> pixels, labels;
  int size = 0;
  int inputs = 0;

  // The batch as the trainer hands it to this backend's step: x only when
  // the backend asks for floats, so a backend that claims to read bytes
  // alone and reads x anyway fails (null x) instead of passing.
  Batch batch_for(const Backend& backend, const NetworkShape& shape) const;
  // Both forms, as evaluation hands a chunk to forward.
  Batch batch() const { return {pixels.data(), x.data(), labels.data(), size}; }
};
RandomBatch random_batch(int m, int inputs, int label_stride = 1);

// What one step leaves, read back through the backend's interface.
struct StepResult {
  Parameters grads;                   // compute_gradients with scale 1/m
  Parameters params;                  // then apply_update with alpha
  std::vector<float> probabilities;   // (m, outputs) of the step's forward pass
};

// Initial parameters (uniform, seed 5) written into the backend's buffers,
// one compute_gradients and one apply_update at alpha 0.1.
StepResult one_step(Backend& backend, const NetworkShape& shape, const RandomBatch& data);

// Each view of actual (every W(l), b(l)) within view_relative of the largest
// |value| of the same view of expected; the failure names the view.
::testing::AssertionResult gradients_close(const std::string& what, const Parameters& expected,
                                           const Parameters& actual, double view_relative);

// One step of backend and of naive from the same initial weights: the
// gradients (kGradientViewRelative), the parameters after the update
// (kStepRelative/kStepAbsolute) and the probabilities of its forward pass
// (kForwardProbabilityAbsolute) must agree.
void expect_step_matches_naive(Backend& backend, Backend& naive, const NetworkShape& shape,
                               const RandomBatch& data);

}  // namespace mnistbench::test
