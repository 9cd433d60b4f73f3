#include "bench/op_cases.h"

#include <cmath>

#include "common/tolerances.h"

namespace mnistbench::bench {

namespace {

constexpr double kFloat = sizeof(float);

// Bounds of the form absolute + relative·|expected|, as in the op tests.
std::function<std::vector<double>()> elementwise(std::span<const float> expected, double relative,
                                                 double absolute) {
  return [=] {
    std::vector<double> bound(expected.size());
    for (std::size_t i = 0; i < bound.size(); ++i)
      bound[i] = absolute + relative * std::fabs(double(expected[i]));
    return bound;
  };
}

std::span<const float> view(const AlignedVector<float>& v) { return v; }
std::span<const float> view(const float* p, std::size_t n) { return {p, n}; }

}  // namespace

std::vector<OpCase> op_cases(const ReferenceStep& r) {
  const int m = r.m, H = r.shape.hidden, O = r.shape.outputs, I = r.shape.inputs;
  const double mH = double(m) * H, mO = double(m) * O, mI = double(m) * I;
  const double HI = double(H) * I, OH = double(O) * H;
  const float inv_m = 1.0f / float(m);
  const std::size_t n_params = r.params.all().size();
  std::vector<OpCase> cases;

  // Forward: Z1 = X·W1ᵀ + b1, A1 = ReLU(Z1), Z2 = A1·W2ᵀ + b2, A2 = softmax(Z2).
  cases.push_back({"matmul_forward_x_w1t", 2 * mH * I, kFloat * (mI + HI + mH), {}, view(r.x_w1t),
                   [&r, m, H, I](Backend& b, float* out) {
                     b.matmul(Transpose::no, Transpose::yes, m, H, I, 1.0f, r.batch.x, r.params.w1(), 0.0f, out);
                   },
                   [&r, m, H, I] {
                     return matmul_bounds(Transpose::no, Transpose::yes, m, H, I, 1.0f, r.batch.x, r.params.w1(), 0.0f, nullptr);
                   }});
  cases.push_back({"add_bias_hidden", mH, kFloat * (2 * mH + H), view(r.x_w1t), view(r.z1),
                   [&r, m, H](Backend& b, float* out) { b.add_bias(out, r.params.b1(), m, H); },
                   elementwise(r.z1, kElementwiseRelative, 0.0)});
  cases.push_back({"relu_forward", 0, kFloat * 2 * mH, {}, view(r.a1),
                   [&r](Backend& b, float* out) { b.relu_forward(out, r.z1.data(), r.z1.size()); },
                   elementwise(r.a1, 0.0, 0.0)});
  cases.push_back({"matmul_forward_a1_w2t", 2 * mO * H, kFloat * (mH + OH + mO), {}, view(r.a1_w2t),
                   [&r, m, O, H](Backend& b, float* out) {
                     b.matmul(Transpose::no, Transpose::yes, m, O, H, 1.0f, r.a1.data(), r.params.w2(), 0.0f, out);
                   },
                   [&r, m, O, H] {
                     return matmul_bounds(Transpose::no, Transpose::yes, m, O, H, 1.0f, r.a1.data(), r.params.w2(), 0.0f, nullptr);
                   }});
  cases.push_back({"add_bias_output", mO, kFloat * (2 * mO + O), view(r.a1_w2t), view(r.z2),
                   [&r, m, O](Backend& b, float* out) { b.add_bias(out, r.params.b2(), m, O); },
                   elementwise(r.z2, kElementwiseRelative, 0.0)});
  cases.push_back({"softmax_rows", 0, kFloat * 2 * mO, {}, view(r.a2),
                   [&r, m, O](Backend& b, float* out) { b.softmax_rows(out, r.z2.data(), m, O); },
                   elementwise(r.a2, 0.0, kSoftmaxAbsolute)});

  // Backward: dZ2 = A2 - Y; dW2 = dZ2ᵀ·A1 / m; db2; dZ1 = (dZ2·W2) * ReLU'(Z1); dW1 = dZ1ᵀ·X / m; db1.
  cases.push_back({"softmax_cross_entropy_backward", double(m), kFloat * 2 * mO + m, {}, view(r.dz2),
                   [&r, m, O](Backend& b, float* out) {
                     b.softmax_cross_entropy_backward(out, r.a2.data(), r.batch.labels, m, O);
                   },
                   elementwise(r.dz2, kElementwiseRelative, 0.0)});
  cases.push_back({"matmul_backward_dz2t_a1", 2 * mO * H, kFloat * (mO + mH + OH), {}, view(r.grads.w2(), r.shape.w2_size()),
                   [&r, m, O, H, inv_m](Backend& b, float* out) {
                     b.matmul(Transpose::yes, Transpose::no, O, H, m, inv_m, r.dz2.data(), r.a1.data(), 0.0f, out);
                   },
                   [&r, m, O, H, inv_m] {
                     return matmul_bounds(Transpose::yes, Transpose::no, O, H, m, inv_m, r.dz2.data(), r.a1.data(), 0.0f, nullptr);
                   }});
  cases.push_back({"column_sums_dz2", mO, kFloat * (mO + O), {}, view(r.grads.b2(), std::size_t(O)),
                   [&r, m, O, inv_m](Backend& b, float* out) { b.column_sums(out, r.dz2.data(), m, O, inv_m); },
                   [&r, m, O, inv_m] { return column_sums_bounds(r.dz2.data(), m, O, inv_m); }});
  cases.push_back({"matmul_backward_dz2_w2", 2 * mH * O, kFloat * (mO + OH + mH), {}, view(r.dz2_w2),
                   [&r, m, H, O](Backend& b, float* out) {
                     b.matmul(Transpose::no, Transpose::no, m, H, O, 1.0f, r.dz2.data(), r.params.w2(), 0.0f, out);
                   },
                   [&r, m, H, O] {
                     return matmul_bounds(Transpose::no, Transpose::no, m, H, O, 1.0f, r.dz2.data(), r.params.w2(), 0.0f, nullptr);
                   }});
  // In place, as train_step calls it.
  cases.push_back({"relu_backward", 0, kFloat * 3 * mH, view(r.dz2_w2), view(r.dz1),
                   [&r](Backend& b, float* out) { b.relu_backward(out, out, r.z1.data(), r.z1.size()); },
                   elementwise(r.dz1, 0.0, 0.0)});
  cases.push_back({"matmul_backward_dz1t_x", 2 * mH * I, kFloat * (mH + mI + HI), {}, view(r.grads.w1(), r.shape.w1_size()),
                   [&r, m, H, I, inv_m](Backend& b, float* out) {
                     b.matmul(Transpose::yes, Transpose::no, H, I, m, inv_m, r.dz1.data(), r.batch.x, 0.0f, out);
                   },
                   [&r, m, H, I, inv_m] {
                     return matmul_bounds(Transpose::yes, Transpose::no, H, I, m, inv_m, r.dz1.data(), r.batch.x, 0.0f, nullptr);
                   }});
  cases.push_back({"column_sums_dz1", mH, kFloat * (mH + H), {}, view(r.grads.b1(), std::size_t(H)),
                   [&r, m, H, inv_m](Backend& b, float* out) { b.column_sums(out, r.dz1.data(), m, H, inv_m); },
                   [&r, m, H, inv_m] { return column_sums_bounds(r.dz1.data(), m, H, inv_m); }});

  // The update over the whole flat block: its size does not depend on m.
  cases.push_back({"sgd_update", 2.0 * n_params, kFloat * 3 * n_params, r.params.all(), r.updated.all(),
                   [&r, n_params](Backend& b, float* out) { b.sgd_update(out, r.grads.all().data(), n_params, kAlpha); },
                   elementwise(r.updated.all(), kElementwiseRelative, kUpdateAbsolute)});
  return cases;
}

}  // namespace mnistbench::bench
