// naive, the reference, on small cases worked out by hand: if these hold,
// "agrees with naive" means "agrees with the mathematics".

#include <gtest/gtest.h>

#include <cmath>

#include "common/model/registry.h"

namespace mnistbench::test {
namespace {

class NaiveOps : public ::testing::Test {
 protected:
  std::unique_ptr<Backend> naive = make_backend("naive");
};

TEST_F(NaiveOps, MatmulAllTransposes) {
  // A = [1 2 3; 4 5 6] (2x3), B = [1 0; 0 1; 1 1] (3x2): A·B = [4 5; 10 11].
  const float a[] = {1, 2, 3, 4, 5, 6}, a_t[] = {1, 4, 2, 5, 3, 6};
  const float b[] = {1, 0, 0, 1, 1, 1}, b_t[] = {1, 0, 1, 0, 1, 1};
  const float expected[] = {4, 5, 10, 11};
  for (auto ta : {Transpose::no, Transpose::yes})
    for (auto tb : {Transpose::no, Transpose::yes}) {
      float c[4];
      naive->matmul(ta, tb, 2, 2, 3, 1.0f, ta == Transpose::yes ? a_t : a,
                    tb == Transpose::yes ? b_t : b, 0.0f, c);
      for (int i = 0; i < 4; ++i) EXPECT_EQ(c[i], expected[i]) << int(ta) << int(tb) << " at " << i;
    }
}

TEST_F(NaiveOps, MatmulAlphaBeta) {
  const float a[] = {1, 2}, b[] = {3, 4};  // (1x2)·(2x1) = 11
  float c[] = {100};
  naive->matmul(Transpose::no, Transpose::no, 1, 1, 2, 0.5f, a, b, 2.0f, c);
  EXPECT_EQ(c[0], 0.5f * 11 + 2.0f * 100);
  float nan[] = {NAN};  // beta = 0 overwrites, even NaN
  naive->matmul(Transpose::no, Transpose::no, 1, 1, 2, 1.0f, a, b, 0.0f, nan);
  EXPECT_EQ(nan[0], 11.0f);
}

TEST_F(NaiveOps, AddBiasReluAndBackward) {
  float z[] = {-1, 2, 3, -4};
  const float bias[] = {0.5f, -2.5f};
  naive->add_bias(z, bias, 2, 2);
  EXPECT_EQ(std::vector<float>(z, z + 4), (std::vector<float>{-0.5f, -0.5f, 3.5f, -6.5f}));
  float a[4];
  naive->relu_forward(a, z, 4);
  EXPECT_EQ(std::vector<float>(a, a + 4), (std::vector<float>{0, 0, 3.5f, 0}));
  const float da[] = {10, 20, 30, 40};
  float dz[4];
  naive->relu_backward(dz, da, z, 4);
  EXPECT_EQ(std::vector<float>(dz, dz + 4), (std::vector<float>{0, 0, 30, 0}));
}

TEST_F(NaiveOps, SoftmaxOfKnownRows) {
  // softmax(0, ln 3) = (1/4, 3/4); a constant row is uniform however large.
  const float z[] = {0.0f, std::log(3.0f), 1000.0f, 1000.0f};
  float p[4];
  naive->softmax_rows(p, z, 2, 2);
  EXPECT_NEAR(p[0], 0.25f, 1e-7);
  EXPECT_NEAR(p[1], 0.75f, 1e-7);
  EXPECT_EQ(p[2], 0.5f);
  EXPECT_EQ(p[3], 0.5f);
}

TEST_F(NaiveOps, CrossEntropyBackwardSubtractsOneHot) {
  const float p[] = {0.25f, 0.75f, 0.5f, 0.5f};
  const std::uint8_t labels[] = {1, 0};
  float dz[4];
  naive->softmax_cross_entropy_backward(dz, p, labels, 2, 2);
  EXPECT_EQ(std::vector<float>(dz, dz + 4), (std::vector<float>{0.25f, -0.25f, -0.5f, 0.5f}));
}

TEST_F(NaiveOps, ColumnSumsAndUpdate) {
  const float m[] = {1, 2, 3, 4, 5, 6};  // 3x2
  float sums[2];
  naive->column_sums(sums, m, 3, 2, 0.5f);
  EXPECT_EQ(sums[0], 4.5f);
  EXPECT_EQ(sums[1], 6.0f);
  float params[] = {1, 2};
  const float grads[] = {10, -10};
  naive->sgd_update(params, grads, 2, 0.25f);
  EXPECT_EQ(params[0], -1.5f);
  EXPECT_EQ(params[1], 4.5f);
}

}  // namespace
}  // namespace mnistbench::test
