#include "profile/profiling_backend.h"

#include <stdexcept>
#include <string>

namespace mnistbench {

ProfilingBackend::ProfilingBackend(Backend& inner, const NetworkShape& shape, OpRecorder& recorder,
                                   ProfilePlan plan, const std::atomic<bool>& user_stop)
    : inner_(inner),
      shape_(shape),
      recorder_(recorder),
      plan_(plan),
      user_stop_(user_stop),
      fused_(plan.mode == StepMode::as_backend_runs && inner.fused_step(shape).has_value()) {
  recorder_.reset(shape.layers(), 0);
  plain_step_seconds_.reserve(std::size_t(plan.recorded_steps));
  recorded_step_seconds_.reserve(std::size_t(plan.recorded_steps));
}

std::optional<std::string> ProfilingBackend::fused_step(const NetworkShape& shape) const {
  if (plan_.mode == StepMode::unfused) return std::nullopt;
  return inner_.fused_step(shape);
}

InputForm ProfilingBackend::input_form(const NetworkShape& shape) const {
  // The default composition reads the floats, whatever the backend's fused step reads.
  return fused_step(shape) ? inner_.input_form(shape) : InputForm::floats;
}

void ProfilingBackend::unrecognised(const char* op) const {
  throw std::logic_error(std::string("profiler: a ") + op +
                         " call on none of the recorded step's buffers: only the default composition calls the "
                         "profiler's ops");
}

// Each op is told apart by the buffers it is given, never by its sizes:
// every layer's W(l), b(l), dW(l), db(l) and Z(l) is a view of its own, so
// two layers of equal widths (784,16,16,10) cannot be confused, whatever the
// batch. The default composition works on row 0 of the workspace.
void ProfilingBackend::matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K,
                              float alpha, const float* A, const float* B, float beta, float* C) {
  // A forward product reads W(l) transposed, an input gradient reads W(l) as
  // stored, and a weight gradient writes dW(l).
  OpId op{OpKind::matmul_forward, 0};
  for (int l = 1; params_ != nullptr && op.layer == 0 && l <= shape_.layers(); ++l) {
    if (B == params_->weights(l))
      op = {trans_b == Transpose::yes ? OpKind::matmul_forward : OpKind::matmul_input_gradient, l};
    else if (C == grads_->weights(l))
      op = {OpKind::matmul_weight_gradient, l};
  }
  if (op.layer == 0) unrecognised("matmul");
  timed(op, {M, N, K}, matmul_cost(M, N, K, beta != 0.0f),
        [&] { inner_.matmul(trans_a, trans_b, M, N, K, alpha, A, B, beta, C); });
}

void ProfilingBackend::add_bias(float* Z, const float* b, int rows, int cols) {
  const int l = layer_where("add_bias", [&](int l) { return b == params_->bias(l); });
  timed({OpKind::add_bias, l}, {rows, cols, 0}, add_bias_cost(rows, cols),
        [&] { inner_.add_bias(Z, b, rows, cols); });
}

void ProfilingBackend::relu_forward(float* A, const float* Z, std::size_t n) {
  const int l = layer_where("relu_forward", [&](int l) { return Z == ws_->z(l); });
  timed({OpKind::relu_forward, l}, {std::int64_t(n), 0, 0}, relu_forward_cost(n),
        [&] { inner_.relu_forward(A, Z, n); });
}

void ProfilingBackend::relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) {
  const int l = layer_where("relu_backward", [&](int l) { return Z == ws_->z(l); });
  timed({OpKind::relu_backward, l}, {std::int64_t(n), 0, 0}, relu_backward_cost(n),
        [&] { inner_.relu_backward(dZ, dA, Z, n); });
}

void ProfilingBackend::softmax_rows(float* P, const float* Z, int rows, int cols) {
  timed({OpKind::softmax_rows}, {rows, cols, 0}, softmax_rows_cost(rows, cols),
        [&] { inner_.softmax_rows(P, Z, rows, cols); });
}

void ProfilingBackend::softmax_cross_entropy_backward(float* dZ, const float* P,
                                                      const std::uint8_t* labels, int rows,
                                                      int cols) {
  timed({OpKind::softmax_cross_entropy_backward}, {rows, cols, 0},
        softmax_cross_entropy_backward_cost(rows, cols),
        [&] { inner_.softmax_cross_entropy_backward(dZ, P, labels, rows, cols); });
}

void ProfilingBackend::column_sums(float* out, const float* M, int rows, int cols, float scale) {
  const int l = layer_where("column_sums", [&](int l) { return out == grads_->bias(l); });
  timed({OpKind::column_sums, l}, {rows, cols, 0}, column_sums_cost(rows, cols),
        [&] { inner_.column_sums(out, M, rows, cols, scale); });
}

void ProfilingBackend::sgd_update(float* params, const float* grads, std::size_t n, float alpha) {
  timed({OpKind::sgd_update}, {std::int64_t(n), 0, 0}, sgd_update_cost(n),
        [&] { inner_.sgd_update(params, grads, n, alpha); });
}

void ProfilingBackend::forward(const Parameters& params, const Batch& batch, Workspace& ws) {
  inner_.forward(params, batch, ws);
}

void ProfilingBackend::compute_gradients(const Parameters& params, const Batch& batch, Workspace& ws,
                                         Parameters& grads, float scale) {
  const bool recorded = ProfilePlan::recorded(step_);
  if (!step_open_) {
    step_open_ = true;
    step_batch_ = 0;
    step_start_ns_ = profile_now_ns();
  }
  step_batch_ += batch.size;
  if (recorded) {  // each shard's own buffers
    params_ = &params;
    grads_ = &grads;
    ws_ = &ws;
  }
  if (fused_ && recorded)
    timed({OpKind::fused_step}, {batch.size, 0, 0}, train_step_cost(shape_, batch.size),
          [&] { inner_.compute_gradients(params, batch, ws, grads, scale); });
  else if (fused_)
    inner_.compute_gradients(params, batch, ws, grads, scale);
  else if (recorded)
    Backend::compute_gradients(params, batch, ws, grads, scale);  // the ops, through this wrapper
  else
    inner_.Backend::compute_gradients(params, batch, ws, grads, scale);  // the same ops, bare
  gradients_end_ns_ = profile_now_ns();
}

void ProfilingBackend::apply_update(Parameters& params, const Parameters& grads, float alpha) {
  const bool recorded = ProfilePlan::recorded(step_);
  const std::size_t n = params.all().size();
  if (!step_open_) {
    // Every local shard of this step was empty (a last mini-batch smaller
    // than the shards): the exchange before this began unseen.
    step_start_ns_ = gradients_end_ns_ = profile_now_ns();
    step_batch_ = 0;
  }
  if (recorded && plan_.shards > 1)
    recorder_.record({OpKind::allreduce}, gradients_end_ns_, profile_now_ns(), {std::int64_t(n), plan_.shards, 0},
                     exchange_cost(n, plan_.shards));
  if (recorded)
    timed({OpKind::sgd_update}, {std::int64_t(n), 0, 0}, sgd_update_cost(n),
          [&] { inner_.apply_update(params, grads, alpha); });
  else
    inner_.apply_update(params, grads, alpha);
  const std::int64_t end_ns = profile_now_ns();

  if (recorded) {
    recorder_.record({OpKind::step}, step_start_ns_, end_ns, {step_batch_, 0, 0},
                     train_step_cost(shape_, step_batch_));
    params_ = grads_ = nullptr;
    ws_ = nullptr;
  }
  const double seconds = double(end_ns - step_start_ns_) * 1e-9;
  if (step_ >= ProfilePlan::kWarmUpSteps)
    (recorded ? recorded_step_seconds_ : plain_step_seconds_).push_back(seconds);
  ++step_;
  step_open_ = false;
  // After the warm-up the recorder holds exactly one recorded step: its
  // calls size the storage of every measured one.
  if (step_ == ProfilePlan::kWarmUpSteps)
    recorder_.reset(shape_.layers(),
                    plan_.keep_events ? std::size_t(recorder_.calls()) * std::size_t(plan_.recorded_steps) : 0);
  if (step_ >= plan_.total_steps() || user_stop_.load(std::memory_order_relaxed))
    finished_.store(true, std::memory_order_relaxed);
}

}  // namespace mnistbench
