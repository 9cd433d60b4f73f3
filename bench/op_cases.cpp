#include "bench/op_cases.h"

#include <cmath>

#include "common/checks/tolerances.h"

namespace mnistbench::bench {

namespace {

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

std::span<const float> view(const float* p, std::size_t n) { return {p, n}; }

// A product's case: C = alpha · op(A) · op(B), with A and B read from r when
// the case runs (the reference fills its buffers only then).
OpCase product(OpId op, std::span<const float> expected, Transpose ta, Transpose tb, int M, int N, int K,
               float alpha, std::function<const float*()> A, std::function<const float*()> B) {
  return {op, matmul_cost(M, N, K, false), {}, expected,
          [=](Backend& b, float* out) { b.matmul(ta, tb, M, N, K, alpha, A(), B(), 0.0f, out); },
          [=] { return matmul_bounds(ta, tb, M, N, K, alpha, A(), B(), 0.0f, nullptr); }};
}

}  // namespace

std::vector<OpCase> op_cases(const ReferenceStep& r) {
  const NetworkShape& s = r.shape;
  const int m = r.m, L = s.layers();
  const float inv_m = 1.0f / float(m);
  std::vector<OpCase> cases;

  // Forward, layer by layer: Z(l) = A(l-1)·W(l)ᵀ + b(l), then ReLU, or softmax for the last.
  for (int l = 1; l <= L; ++l) {
    const int in = s.fan_in(l), out = s.fan_out(l);
    const std::size_t n = std::size_t(m) * out;
    cases.push_back(product({OpKind::matmul_forward, l}, r.products[l - 1], Transpose::no, Transpose::yes, m, out,
                            in, 1.0f, [&r, l] { return r.activation(l - 1); },
                            [&r, l] { return r.params.weights(l); }));
    const std::span<const float> z = view(r.ws.z(l), n), a = view(r.ws.a(l), n);
    cases.push_back({{OpKind::add_bias, l}, add_bias_cost(m, out), r.products[l - 1], z,
                     [&r, l, m, out](Backend& b, float* o) { b.add_bias(o, r.params.bias(l), m, out); },
                     elementwise(z, kElementwiseRelative, 0.0)});
    if (l < L)
      cases.push_back({{OpKind::relu_forward, l}, relu_forward_cost(n), {}, a,
                       [&r, l, n](Backend& b, float* o) { b.relu_forward(o, r.ws.z(l), n); },
                       elementwise(a, 0.0, 0.0)});
    else
      cases.push_back({{OpKind::softmax_rows}, softmax_rows_cost(m, out), {}, a,
                       [&r, l, m, out](Backend& b, float* o) { b.softmax_rows(o, r.ws.z(l), m, out); },
                       elementwise(a, 0.0, kSoftmaxAbsolute)});
  }

  // Backward: dZ(L) = A(L) - Y; then for each layer from the last,
  // dW(l) = dZ(l)ᵀ·A(l-1) / m, db(l), and dZ(l-1) = (dZ(l)·W(l)) * ReLU'(Z(l-1)).
  const int O = s.outputs();
  const std::span<const float> dz_out = view(r.ws.dz(L), std::size_t(m) * O);
  cases.push_back({{OpKind::softmax_cross_entropy_backward}, softmax_cross_entropy_backward_cost(m, O), {}, dz_out,
                   [&r, L, m, O](Backend& b, float* o) {
                     b.softmax_cross_entropy_backward(o, r.ws.a(L), r.batch.labels, m, O);
                   },
                   elementwise(dz_out, kElementwiseRelative, 0.0)});
  for (int l = L; l >= 1; --l) {
    const int in = s.fan_in(l), out = s.fan_out(l);
    cases.push_back(product({OpKind::matmul_weight_gradient, l}, view(r.grads.weights(l), s.weight_count(l)),
                            Transpose::yes, Transpose::no, out, in, m, inv_m, [&r, l] { return r.ws.dz(l); },
                            [&r, l] { return r.activation(l - 1); }));
    cases.push_back({{OpKind::column_sums, l}, column_sums_cost(m, out), {}, view(r.grads.bias(l), std::size_t(out)),
                     [&r, l, m, out, inv_m](Backend& b, float* o) { b.column_sums(o, r.ws.dz(l), m, out, inv_m); },
                     [&r, l, m, out, inv_m] { return column_sums_bounds(r.ws.dz(l), m, out, inv_m); }});
    if (l == 1) break;
    cases.push_back(product({OpKind::matmul_input_gradient, l}, r.input_gradients[l - 1], Transpose::no,
                            Transpose::no, m, in, out, 1.0f, [&r, l] { return r.ws.dz(l); },
                            [&r, l] { return r.params.weights(l); }));
    // In place, as compute_gradients calls it, on hidden layer l - 1.
    const std::size_t n = std::size_t(m) * in;
    const std::span<const float> dz = view(r.ws.dz(l - 1), n);
    cases.push_back({{OpKind::relu_backward, l - 1}, relu_backward_cost(n), r.input_gradients[l - 1], dz,
                     [&r, l, n](Backend& b, float* o) { b.relu_backward(o, o, r.ws.z(l - 1), n); },
                     elementwise(dz, 0.0, 0.0)});
  }

  // The update over the whole flat block: its size does not depend on m.
  const std::size_t n_params = r.params.all().size();
  cases.push_back({{OpKind::sgd_update}, sgd_update_cost(n_params), r.params.all(), r.updated.all(),
                   [&r, n_params](Backend& b, float* o) { b.sgd_update(o, r.grads.all().data(), n_params, kAlpha); },
                   elementwise(r.updated.all(), kElementwiseRelative, kUpdateAbsolute)});
  return cases;
}

}  // namespace mnistbench::bench
