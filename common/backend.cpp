// The training step every backend runs unless it fuses its own: the
// tutorial's forward and backward pass, written as calls to the op table.

#include "common/backend.h"

namespace mnistbench {

void Backend::forward(const Parameters& params, const float* x, int m, Workspace& ws) {
  const NetworkShape& s = params.shape();
  // Z1 (m, H) = X (m, 784) · W1ᵀ + b1
  matmul(Transpose::no, Transpose::yes, m, s.hidden, s.inputs, 1.0f, x, params.w1(), 0.0f,
         ws.hidden_pre.data());
  add_bias(ws.hidden_pre.data(), params.b1(), m, s.hidden);
  // A1 = ReLU(Z1)
  relu_forward(ws.hidden.data(), ws.hidden_pre.data(), std::size_t(m) * s.hidden);
  // Z2 (m, 10) = A1 (m, H) · W2ᵀ + b2
  matmul(Transpose::no, Transpose::yes, m, s.outputs, s.hidden, 1.0f, ws.hidden.data(),
         params.w2(), 0.0f, ws.logits.data());
  add_bias(ws.logits.data(), params.b2(), m, s.outputs);
  // A2 = softmax(Z2)
  softmax_rows(ws.probabilities.data(), ws.logits.data(), m, s.outputs);
}

void Backend::train_step(Parameters& params, Parameters& grads, const Batch& batch,
                         Workspace& ws, float alpha) {
  const NetworkShape& s = params.shape();
  const int m = batch.size;
  const float inv_m = 1.0f / float(m);
  forward(params, batch.x, m, ws);

  // dZ2 (m, 10) = A2 - one_hot(Y)
  softmax_cross_entropy_backward(ws.logits_grad.data(), ws.probabilities.data(), batch.labels,
                                 m, s.outputs);
  // dW2 (10, H) = dZ2ᵀ · A1 / m;  db2 = Σ dZ2 / m
  matmul(Transpose::yes, Transpose::no, s.outputs, s.hidden, m, inv_m, ws.logits_grad.data(),
         ws.hidden.data(), 0.0f, grads.w2());
  column_sums(grads.b2(), ws.logits_grad.data(), m, s.outputs, inv_m);
  // dZ1 (m, H) = (dZ2 · W2) * ReLU'(Z1)
  matmul(Transpose::no, Transpose::no, m, s.hidden, s.outputs, 1.0f, ws.logits_grad.data(),
         params.w2(), 0.0f, ws.hidden_grad.data());
  relu_backward(ws.hidden_grad.data(), ws.hidden_grad.data(), ws.hidden_pre.data(),
                std::size_t(m) * s.hidden);
  // dW1 (H, 784) = dZ1ᵀ · X / m;  db1 = Σ dZ1 / m
  matmul(Transpose::yes, Transpose::no, s.hidden, s.inputs, m, inv_m, ws.hidden_grad.data(),
         batch.x, 0.0f, grads.w1());
  column_sums(grads.b1(), ws.hidden_grad.data(), m, s.hidden, inv_m);

  // W -= alpha · dW over the whole flat block (padding is zero in both).
  sgd_update(params.all().data(), grads.all().data(), params.all().size(), alpha);
}

}  // namespace mnistbench
