#pragma once
// Checks of one backend's op against naive that more than one test program
// runs (the generic op suite, the forced simd paths).

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "common/aligned.h"
#include "common/backend.h"

namespace mnistbench::test {

struct MatmulCase {
  Transpose trans_a, trans_b;
  int M, N, K;
  float alpha, beta;
};

// backend.matmul against naive.matmul on random A, B and C, each element
// bounded by the float summation error of its own K products (matmul_bounds).
::testing::AssertionResult matmul_matches_naive(Backend& backend, Backend& naive, const MatmulCase& c);

// m random images as training sees them: bytes, x = bytes / 255 (a backend
// may read either), and label i = (i * label_stride) % 10.
struct RandomBatch {
  AlignedVector<float> x;
  std::vector<std::uint8_t> pixels, labels;
  int size = 0;

  Batch batch() const { return {x.data(), pixels.data(), labels.data(), size}; }
};
RandomBatch random_batch(int m, int inputs, int label_stride = 1);

// One train_step of backend and of naive from the same initial weights: the
// parameters after it (kStepRelative/kStepAbsolute) and the probabilities of
// its forward pass (kForwardProbabilityAbsolute) must agree.
void expect_train_step_matches_naive(Backend& backend, Backend& naive, const RandomBatch& data);

}  // namespace mnistbench::test
