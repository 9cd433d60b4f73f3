// Every op of every registered backend against naive, the reference, on
// random inputs and awkward shapes: one sample, sizes that are not multiples
// of any vector width, and the full 60,000-image batch. Tolerances and their
// reasons live in common/checks/tolerances.h. A new backend is tested here
// without new code: the suite walks the registry. The whole step, composed
// from these ops or fused, is test_backend_steps's business.

#include <gtest/gtest.h>

#include <limits>
#include <tuple>

#include "common/model/registry.h"
#include "tests/support/backend_checks.h"
#include "tests/support/compare.h"
#include "tests/support/tolerances.h"

namespace mnistbench::test {
namespace {

class BackendOps : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<Backend> backend = make_backend(GetParam());
  std::unique_ptr<Backend> naive = make_backend("naive");
};

TEST_P(BackendOps, MatmulMatchesNaiveOnAwkwardShapes) {
  const int shapes[][3] = {{1, 1, 1},   {1, 10, 784}, {7, 10, 13},   {17, 33, 65},
                           {64, 10, 784}, {10, 784, 64}, {10, 10, 1000}, {1000, 10, 10},
                           {3, 129, 31}};
  for (auto trans_a : {Transpose::no, Transpose::yes})
    for (auto trans_b : {Transpose::no, Transpose::yes})
      for (const auto& s : shapes) {
        EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {trans_a, trans_b, s[0], s[1], s[2], 1.0f, 0.0f}));
        EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {trans_a, trans_b, s[0], s[1], s[2], 0.25f, 1.0f}));
      }
}

TEST_P(BackendOps, MatmulMatchesNaiveAtFullBatch) {
  // The two products with the input matrix at 60,000 samples: X·W1ᵀ and dZ1ᵀ·X.
  EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {Transpose::no, Transpose::yes, 60000, 10, 784, 1.0f, 0.0f}));
  EXPECT_TRUE(matmul_matches_naive(*backend, *naive, {Transpose::yes, Transpose::no, 10, 784, 60000, 1.0f / 60000, 0.0f}));
}

TEST_P(BackendOps, AddBiasMatchesNaive) {
  for (auto [rows, cols] : {std::pair{1, 10}, {37, 10}, {60000, 10}, {5, 17}}) {
    const auto b = random_values(cols, 21);
    auto expected = random_values(std::size_t(rows) * cols, 22), actual = expected;
    naive->add_bias(expected.data(), b.data(), rows, cols);
    backend->add_bias(actual.data(), b.data(), rows, cols);
    EXPECT_TRUE(all_close("add_bias", expected, actual, kElementwiseRelative, 0.0));
  }
}

TEST_P(BackendOps, ReluForwardAndBackwardMatchNaive) {
  for (std::size_t n : {1u, 15u, 17u, 10003u, 600000u}) {
    const auto z = random_values(n, 31), da = random_values(n, 32);
    AlignedVector<float> expected(n), actual(n);
    naive->relu_forward(expected.data(), z.data(), n);
    backend->relu_forward(actual.data(), z.data(), n);
    EXPECT_TRUE(all_close("relu_forward", expected, actual, 0.0, 0.0));
    naive->relu_backward(expected.data(), da.data(), z.data(), n);
    backend->relu_backward(actual.data(), da.data(), z.data(), n);
    EXPECT_TRUE(all_close("relu_backward", expected, actual, 0.0, 0.0));
    actual = da;  // in place, as the trainer calls it
    backend->relu_backward(actual.data(), actual.data(), z.data(), n);
    EXPECT_TRUE(all_close("relu_backward in place", expected, actual, 0.0, 0.0));
  }
}

TEST_P(BackendOps, SoftmaxMatchesNaiveIncludingHugeLogits) {
  for (auto [rows, cols] : {std::pair{1, 10}, {37, 10}, {60000, 10}, {3, 17}}) {
    // ±80 would overflow exp() without the max subtraction.
    const auto z = random_values(std::size_t(rows) * cols, 41, -80.0f, 80.0f);
    AlignedVector<float> expected(z.size()), actual(z.size());
    naive->softmax_rows(expected.data(), z.data(), rows, cols);
    backend->softmax_rows(actual.data(), z.data(), rows, cols);
    EXPECT_TRUE(all_close("softmax_rows", expected, actual, 0.0, kSoftmaxAbsolute));
  }
}

TEST_P(BackendOps, CrossEntropyBackwardMatchesNaive) {
  for (int rows : {1, 37, 60000}) {
    const int cols = 10;
    const auto p = random_values(std::size_t(rows) * cols, 51, 0.0f, 1.0f);
    std::vector<std::uint8_t> labels(rows);
    for (int i = 0; i < rows; ++i) labels[i] = std::uint8_t((i * 7 + 3) % cols);
    AlignedVector<float> expected(p.size()), actual(p.size());
    naive->softmax_cross_entropy_backward(expected.data(), p.data(), labels.data(), rows, cols);
    backend->softmax_cross_entropy_backward(actual.data(), p.data(), labels.data(), rows, cols);
    EXPECT_TRUE(all_close("softmax_cross_entropy_backward", expected, actual,
                          kElementwiseRelative, 0.0));
  }
}

TEST_P(BackendOps, ColumnSumsMatchNaive) {
  for (auto [rows, cols] : {std::pair{1, 10}, {37, 10}, {60000, 10}, {1001, 17}}) {
    const auto m = random_values(std::size_t(rows) * cols, 61);
    AlignedVector<float> expected(cols), actual(cols);
    const float scale = 1.0f / float(rows);
    naive->column_sums(expected.data(), m.data(), rows, cols, scale);
    backend->column_sums(actual.data(), m.data(), rows, cols, scale);
    EXPECT_TRUE(within_bounds("column_sums", expected, actual,
                              column_sums_bounds(m.data(), rows, cols, scale)));
  }
}

TEST_P(BackendOps, SgdUpdateMatchesNaive) {
  for (std::size_t n : {1u, 31u, 7960u, 100003u}) {
    const auto grads = random_values(n, 71);
    auto expected = random_values(n, 72), actual = expected;
    naive->sgd_update(expected.data(), grads.data(), n, 0.1f);
    backend->sgd_update(actual.data(), grads.data(), n, 0.1f);
    EXPECT_TRUE(all_close("sgd_update", expected, actual, kElementwiseRelative, kUpdateAbsolute));
  }
}

INSTANTIATE_TEST_SUITE_P(AllBackends, BackendOps, ::testing::ValuesIn(backend_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mnistbench::test
