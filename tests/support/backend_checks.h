#pragma once
// Checks of one backend's op against naive that more than one test program
// runs (the generic op suite, the forced simd paths).

#include <gtest/gtest.h>

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

}  // namespace mnistbench::test
