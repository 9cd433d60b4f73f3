#pragma once
// A decorator that profiles any backend through the common interface: it is
// a Backend whose every op forwards to the wrapped one and records the call's
// time (steady clock), sizes and cost into an OpRecorder. Nothing in the
// wrapped backend changes, so every backend is profiled the same way.
//
// A backend that fuses its own forward() or train_step() calls its ops on
// itself, where no wrapper can see them. By default such a call is timed as
// one opaque slice, "train_step (fused)", because that is what the backend
// really runs. StepMode::unfused runs the default composition of the
// backend's ops instead: a per-op view of its kernels, but not its real step.

#include "common/backend.h"
#include "profile/op_recorder.h"

namespace mnistbench {

enum class StepMode { as_backend_runs, unfused };

class ProfilingBackend final : public Backend {
 public:
  // shape tells the products' roles apart; inner and recorder must outlive this.
  ProfilingBackend(Backend& inner, const NetworkShape& shape, OpRecorder& recorder, StepMode mode);

  std::string_view name() const override { return inner_.name(); }
  BackendInfo info() const override { return inner_.info(); }
  void set_threads(int requested) override { inner_.set_threads(requested); }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override;
  void add_bias(float* Z, const float* b, int rows, int cols) override;
  void relu_forward(float* A, const float* Z, std::size_t n) override;
  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override;
  void softmax_rows(float* P, const float* Z, int rows, int cols) override;
  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override;
  void column_sums(float* out, const float* M, int rows, int cols, float scale) override;
  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override;

  void forward(const Parameters& params, const float* x, int m, Workspace& ws) override;
  // Records a "step" slice around whatever the step runs.
  void train_step(Parameters& params, Parameters& grads, const Batch& batch, Workspace& ws,
                  float alpha) override;

 private:
  template <class Call>
  void timed(OpKind kind, std::array<std::int64_t, 3> sizes, const OpCost& cost, Call&& call) {
    const std::int64_t start = profile_now_ns();
    call();
    recorder_.record(kind, start, profile_now_ns(), sizes, cost);
  }

  Backend& inner_;
  NetworkShape shape_;
  OpRecorder& recorder_;
  bool fused_forward_;     // timed as one opaque call
  bool fused_train_step_;  // timed as one opaque call
};

}  // namespace mnistbench
