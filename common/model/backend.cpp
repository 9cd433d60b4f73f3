// The training step every backend runs unless it fuses its own: the
// tutorial's forward and backward pass, layer by layer, written as calls to
// the op table.

#include "common/model/backend.h"

#include <stdexcept>

namespace mnistbench {

Batch Batch::rows(int first, int count, int inputs) const {
  const std::size_t at = std::size_t(first) * inputs;
  return {pixels ? pixels + at : nullptr, x ? x + at : nullptr, labels + first, count};
}

std::optional<std::string> Backend::fused_step(const NetworkShape&) const { return std::nullopt; }

std::optional<std::string> Backend::precision_refusal(Precision precision,
                                                     const NetworkShape&) const {
  if (precision == Precision::fp32) return std::nullopt;
  return "runs float32 products only";
}

InputForm Backend::input_form(const NetworkShape&) const { return InputForm::floats; }

std::span<const float> Backend::probabilities(const Workspace& ws, int m) const {
  const int L = ws.shape().layers();
  return {ws.a(L), std::size_t(m) * ws.shape().outputs()};
}

void Backend::forward(const Parameters& params, const Batch& batch, Workspace& ws) {
  forward_rows(params, batch, ws, 0);
}

void Backend::compute_gradients(const Parameters& params, const Batch& batch, Workspace& ws,
                                Parameters& grads, float scale) {
  gradients_rows(params, batch, ws, 0, grads, scale);
}

void Backend::apply_update(Parameters& params, const Parameters& grads, float alpha) {
  sgd_update(params.all().data(), grads.all().data(), params.all().size(), alpha);
}

void Backend::accumulate_momentum(Parameters& velocity, const Parameters& grads, float momentum) {
  const std::span<float> v = velocity.all();
  const std::span<const float> g = grads.all();
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = momentum * v[i] + g[i];
}

void Backend::train_step(Parameters& params, Parameters& grads, const Batch& batch, Workspace& ws,
                         float alpha) {
  compute_gradients(params, batch, ws, grads, 1.0f / float(batch.size));
  apply_update(params, grads, alpha);
}

void Backend::forward_rows(const Parameters& params, const Batch& batch, Workspace& ws, int row) {
  if (batch.x == nullptr)
    throw std::logic_error(std::string(name()) + ": the fine-op step needs the batch as floats");
  const NetworkShape& s = params.shape();
  const int m = batch.size, L = s.layers();
  const float* input = batch.x;  // A0 = X (m, 784)
  for (int l = 1; l <= L; ++l) {
    const int in = s.fan_in(l), out = s.fan_out(l);
    // Z(l) (m, out) = A(l-1) (m, in) · W(l)ᵀ + b(l)
    matmul(Transpose::no, Transpose::yes, m, out, in, 1.0f, input, params.weights(l), 0.0f,
           ws.z(l, row));
    add_bias(ws.z(l, row), params.bias(l), m, out);
    if (l < L) {
      // A(l) = ReLU(Z(l))
      relu_forward(ws.a(l, row), ws.z(l, row), std::size_t(m) * out);
      input = ws.a(l, row);
    } else {
      // A(L) = softmax(Z(L))
      softmax_rows(ws.a(l, row), ws.z(l, row), m, out);
    }
  }
}

void Backend::gradients_rows(const Parameters& params, const Batch& batch, Workspace& ws, int row,
                             Parameters& grads, float scale) {
  forward_rows(params, batch, ws, row);
  const NetworkShape& s = params.shape();
  const int m = batch.size, L = s.layers();
  // dZ(L) (m, 10) = A(L) - one_hot(Y)
  softmax_cross_entropy_backward(ws.dz(L, row), ws.a(L, row), batch.labels, m, s.outputs());
  for (int l = L; l >= 1; --l) {
    const int in = s.fan_in(l), out = s.fan_out(l);
    const float* input = l == 1 ? batch.x : ws.a(l - 1, row);
    // dW(l) (out, in) = scale · dZ(l)ᵀ · A(l-1);  db(l) = scale · Σ dZ(l)
    matmul(Transpose::yes, Transpose::no, out, in, m, scale, ws.dz(l, row), input, 0.0f,
           grads.weights(l));
    column_sums(grads.bias(l), ws.dz(l, row), m, out, scale);
    if (l == 1) break;
    // dZ(l-1) (m, in) = (dZ(l) · W(l)) * ReLU'(Z(l-1))
    matmul(Transpose::no, Transpose::no, m, in, out, 1.0f, ws.dz(l, row), params.weights(l), 0.0f,
           ws.dz(l - 1, row));
    relu_backward(ws.dz(l - 1, row), ws.dz(l - 1, row), ws.z(l - 1, row), std::size_t(m) * in);
  }
}

}  // namespace mnistbench
