#include "profile/profiling_backend.h"

#include "profile/fused_steps.h"

namespace mnistbench {

ProfilingBackend::ProfilingBackend(Backend& inner, const NetworkShape& shape, OpRecorder& recorder,
                                   StepMode mode)
    : inner_(inner),
      shape_(shape),
      recorder_(recorder),
      fused_forward_(mode == StepMode::as_backend_runs && overrides_forward(inner)),
      fused_train_step_(mode == StepMode::as_backend_runs && overrides_train_step(inner)) {}

void ProfilingBackend::matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K,
                              float alpha, const float* A, const float* B, float beta, float* C) {
  const bool ta = trans_a == Transpose::yes, tb = trans_b == Transpose::yes;
  timed(matmul_role(ta, tb, M, N, K, shape_), {M, N, K}, matmul_cost(M, N, K, beta != 0.0f),
        [&] { inner_.matmul(trans_a, trans_b, M, N, K, alpha, A, B, beta, C); });
}

void ProfilingBackend::add_bias(float* Z, const float* b, int rows, int cols) {
  timed(OpKind::add_bias, {rows, cols, 0}, add_bias_cost(rows, cols),
        [&] { inner_.add_bias(Z, b, rows, cols); });
}

void ProfilingBackend::relu_forward(float* A, const float* Z, std::size_t n) {
  timed(OpKind::relu_forward, {std::int64_t(n), 0, 0}, relu_forward_cost(n),
        [&] { inner_.relu_forward(A, Z, n); });
}

void ProfilingBackend::relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) {
  timed(OpKind::relu_backward, {std::int64_t(n), 0, 0}, relu_backward_cost(n),
        [&] { inner_.relu_backward(dZ, dA, Z, n); });
}

void ProfilingBackend::softmax_rows(float* P, const float* Z, int rows, int cols) {
  timed(OpKind::softmax_rows, {rows, cols, 0}, softmax_rows_cost(rows, cols),
        [&] { inner_.softmax_rows(P, Z, rows, cols); });
}

void ProfilingBackend::softmax_cross_entropy_backward(float* dZ, const float* P,
                                                      const std::uint8_t* labels, int rows,
                                                      int cols) {
  timed(OpKind::cross_entropy_backward, {rows, cols, 0}, cross_entropy_backward_cost(rows, cols),
        [&] { inner_.softmax_cross_entropy_backward(dZ, P, labels, rows, cols); });
}

void ProfilingBackend::column_sums(float* out, const float* M, int rows, int cols, float scale) {
  timed(OpKind::column_sums, {rows, cols, 0}, column_sums_cost(rows, cols),
        [&] { inner_.column_sums(out, M, rows, cols, scale); });
}

void ProfilingBackend::sgd_update(float* params, const float* grads, std::size_t n, float alpha) {
  timed(OpKind::sgd_update, {std::int64_t(n), 0, 0}, sgd_update_cost(n),
        [&] { inner_.sgd_update(params, grads, n, alpha); });
}

void ProfilingBackend::forward(const Parameters& params, const float* x, int m, Workspace& ws) {
  if (!fused_forward_) return Backend::forward(params, x, m, ws);  // the ops, through this wrapper
  timed(OpKind::fused_forward, {m, 0, 0}, forward_cost(params.shape(), m),
        [&] { inner_.forward(params, x, m, ws); });
}

void ProfilingBackend::train_step(Parameters& params, Parameters& grads, const Batch& batch,
                                  Workspace& ws, float alpha) {
  const OpCost cost = train_step_cost(params.shape(), batch.size);
  timed(OpKind::step, {batch.size, 0, 0}, cost, [&] {
    if (fused_train_step_)
      timed(OpKind::fused_train_step, {batch.size, 0, 0}, cost,
            [&] { inner_.train_step(params, grads, batch, ws, alpha); });
    else
      Backend::train_step(params, grads, batch, ws, alpha);  // the ops, through this wrapper
  });
}

}  // namespace mnistbench
