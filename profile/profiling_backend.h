#pragma once
// A decorator that profiles any backend through the common interface: a
// Backend whose every op forwards to the wrapped one and records the call's
// time (steady clock), sizes and cost (common/model/cost_model.h) into an
// OpRecorder. Nothing in the wrapped backend changes, so every backend is
// profiled the same way.
//
// The trainer drives it like any backend (profile_session.cpp), and it
// follows a ProfilePlan: it records every other step and passes the rest
// straight to the backend, timing both kinds the same way, so that the
// decorator's own overhead is measured in the same run.
//
// A backend's fused step (Backend::fused_step) calls its ops on itself,
// where no wrapper sees them: it is timed as one opaque "fused_step" slice,
// because that is what the backend really runs. StepMode::unfused runs the
// default composition of the backend's ops instead, recorded and plain
// steps alike: a per-op view of its kernels, not its real step. Without a
// fused step both kinds run the default composition over the whole batch,
// so a backend that cuts that composition into tiles of its own (simd on a
// layer list its fused step does not cover) is profiled untiled.
//
// With shards (common/distributed/) a step is one compute_gradients per
// local shard, then the exchange of gradients, then apply_update: the time
// from the last compute_gradients to apply_update is the "allreduce" op.

#include <atomic>
#include <cstdint>
#include <vector>

#include "common/model/backend.h"
#include "profile/op_recorder.h"

namespace mnistbench {

enum class StepMode { as_backend_runs, unfused };

// The steps of a profile, in the order the trainer runs them: a warm-up pair
// (one plain, one recorded: first touches of the buffers, the backend's lazy
// set-up, and the count of calls in a step, which sizes the event storage),
// then pairs of one plain and one recorded step, alternating which goes
// first, so that neither kind always runs right after the other.
struct ProfilePlan {
  StepMode mode = StepMode::as_backend_runs;
  int recorded_steps = 20;   // measured steps through the decorator; as many plain ones
  bool keep_events = false;  // keep every recorded call as a slice, for a trace
  int shards = 1;            // each batch's (ShardGroup::shards()): with more, the exchange is an op

  static constexpr std::int64_t kWarmUpSteps = 2;
  std::int64_t total_steps() const { return kWarmUpSteps + 2 * std::int64_t(recorded_steps); }
  // Steps 1, 2, 5, 6, 9, 10, ...: the warm-up's second, then one of each pair.
  static bool recorded(std::int64_t step) { return step % 4 == 1 || step % 4 == 2; }
};

class ProfilingBackend final : public Backend {
 public:
  // inner, recorder and user_stop must outlive this. recorder is reset for
  // shape's layers; user_stop is Ctrl-C's flag.
  ProfilingBackend(Backend& inner, const NetworkShape& shape, OpRecorder& recorder, ProfilePlan plan,
                   const std::atomic<bool>& user_stop);

  // The trainer's stop flag: set after the plan's last step, or after the
  // step during which user_stop was set.
  const std::atomic<bool>& finished() const { return finished_; }
  // Whether the backend's own fused step runs (and is timed as one slice).
  bool fused() const { return fused_; }
  // Wall time of each measured step, warm-up excluded: compute_gradients to
  // the end of its apply_update, the same bracket for both kinds.
  const std::vector<double>& plain_step_seconds() const { return plain_step_seconds_; }
  const std::vector<double>& recorded_step_seconds() const { return recorded_step_seconds_; }

  std::string_view name() const override { return inner_.name(); }
  BackendInfo info() const override { return inner_.info(); }
  void set_threads(int requested) override { inner_.set_threads(requested); }
  std::optional<std::string> precision_refusal(Precision precision,
                                               const NetworkShape& shape) const override {
    return inner_.precision_refusal(precision, shape);
  }
  void set_precision(Precision precision) override {
    Backend::set_precision(precision);
    inner_.set_precision(precision);
  }
  // What runs under this decorator: the backend's fused step, or none under StepMode::unfused.
  std::optional<std::string> fused_step(const NetworkShape& shape) const override;
  // The backend's for its fused step; floats for the default composition.
  InputForm input_form(const NetworkShape& shape) const override;

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

  // Evaluation, outside the step: straight to the backend, unrecorded.
  void forward(const Parameters& params, const Batch& batch, Workspace& ws) override;
  // A step's first half, once per local shard: the first opens its "step" slice.
  void compute_gradients(const Parameters& params, const Batch& batch, Workspace& ws,
                         Parameters& grads, float scale) override;
  // A step's second half, timed as the op it is defined as (one sgd_update
  // over the flat block), run as the backend runs it; closes the step.
  void apply_update(Parameters& params, const Parameters& grads, float alpha) override;
  // With --momentum, before apply_update: run as the backend runs it, and
  // timed only inside the step (it is not one of the interface's fine ops).
  void accumulate_momentum(Parameters& velocity, const Parameters& grads, float momentum) override {
    inner_.accumulate_momentum(velocity, grads, momentum);
  }

  Parameters make_parameters(const NetworkShape& shape) const override { return inner_.make_parameters(shape); }
  Workspace make_workspace(const NetworkShape& shape, int max_batch) const override {
    return inner_.make_workspace(shape, max_batch);
  }
  void write_parameters(Parameters& params, const Parameters& host) const override {
    inner_.write_parameters(params, host);
  }
  void read_parameters(const Parameters& params, Parameters& host) const override {
    inner_.read_parameters(params, host);
  }
  std::span<const float> probabilities(const Workspace& ws, int m) const override {
    return inner_.probabilities(ws, m);
  }

 private:
  template <class Call>
  void timed(OpId op, std::array<std::int64_t, 3> sizes, const OpCost& cost, Call&& call) {
    const std::int64_t start = profile_now_ns();
    call();
    recorder_.record(op, start, profile_now_ns(), sizes, cost);
  }

  // The layer l (1..L) for which is_it(l) holds; throws naming op for none.
  template <class Test>
  int layer_where(const char* op, Test&& is_it) const {
    if (params_ != nullptr)
      for (int l = 1; l <= shape_.layers(); ++l)
        if (is_it(l)) return l;
    unrecognised(op);
  }
  [[noreturn]] void unrecognised(const char* op) const;

  Backend& inner_;
  NetworkShape shape_;
  OpRecorder& recorder_;
  ProfilePlan plan_;
  const std::atomic<bool>& user_stop_;
  std::atomic<bool> finished_{false};
  bool fused_;

  std::int64_t step_ = 0;            // the step under way, from 0
  bool step_open_ = false;           // a compute_gradients of step_ has run
  std::int64_t step_start_ns_ = 0;
  std::int64_t gradients_end_ns_ = 0;  // the end of the step's last compute_gradients
  int step_batch_ = 0;               // samples of the step's local shards
  // The buffers of the recorded step under way: the ops are told apart by
  // which of them they were given (see profiling_backend.cpp).
  const Parameters* params_ = nullptr;
  const Parameters* grads_ = nullptr;
  const Workspace* ws_ = nullptr;
  std::vector<double> plain_step_seconds_;
  std::vector<double> recorded_step_seconds_;
};

}  // namespace mnistbench
