// naive: the reference backend. Plain loops, no intrinsics, no threads,
// written to be read. It is the specification of every op in
// common/model/backend.h: every other backend is tested against it, and the
// accumulation order here (ascending k, in float) is the one to beat.
// The lower precisions are emulated here in software by rounding the
// operands as common/model/precision.h defines, so they are specified too.

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

#include "common/model/backend.h"
#include "common/model/softmax_row.h"

namespace mnistbench {
namespace {

class NaiveBackend final : public Backend {
 public:
  std::string_view name() const override { return "naive"; }
  BackendInfo info() const override { return {"plain C++ loops", "scalar (compiler's choice)", 1}; }

  // Every element of C is the sum of its K products in ascending k, in float,
  // then alpha·sum + beta·C: that is the definition the other backends are
  // held to. The loops visit memory row by row (k outermost when A is stored
  // transposed), which changes the speed but not the order of any sum.
  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    const auto a_at = [&](int i, int k) {
      return trans_a == Transpose::yes ? A[std::size_t(k) * M + i] : A[std::size_t(i) * K + k];
    };
    const auto b_at = [&](int k, int j) {
      return trans_b == Transpose::yes ? B[std::size_t(j) * K + k] : B[std::size_t(k) * N + j];
    };
    sums_.assign(std::size_t(M) * N, 0.0f);
    const auto accumulate = [&](int i, int k) {
      const float a = a_at(i, k);
      float* row = sums_.data() + std::size_t(i) * N;
      for (int j = 0; j < N; ++j) row[j] += a * b_at(k, j);
    };
    if (trans_a == Transpose::yes) {
      for (int k = 0; k < K; ++k)
        for (int i = 0; i < M; ++i) accumulate(i, k);
    } else {
      for (int i = 0; i < M; ++i)
        for (int k = 0; k < K; ++k) accumulate(i, k);
    }
    for (std::size_t at = 0; at < sums_.size(); ++at)
      C[at] = beta == 0.0f ? alpha * sums_[at] : alpha * sums_[at] + beta * C[at];
  }

  void add_bias(float* Z, const float* b, int rows, int cols) override {
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) Z[std::size_t(i) * cols + j] += b[j];
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) A[i] = Z[i] > 0.0f ? Z[i] : 0.0f;
  }

  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) dZ[i] = Z[i] > 0.0f ? dA[i] : 0.0f;
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    for (int i = 0; i < rows; ++i)
      softmax_row(P + std::size_t(i) * cols, Z + std::size_t(i) * cols, cols);
  }

  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) {
        const std::size_t at = std::size_t(i) * cols + j;
        dZ[at] = P[at] - (labels[i] == j ? 1.0f : 0.0f);
      }
  }

  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    for (int j = 0; j < cols; ++j) {
      float sum = 0.0f;
      for (int i = 0; i < rows; ++i) sum += M[std::size_t(i) * cols + j];
      out[j] = scale * sum;
    }
  }

  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    for (std::size_t i = 0; i < n; ++i) params[i] -= alpha * grads[i];
  }

  // Every precision, on every network and CPU: rounding in software needs no instructions.
  std::optional<std::string> precision_refusal(Precision, const NetworkShape&) const override {
    return std::nullopt;
  }

  // At bf16 and int8 compute_gradients is its own, not the default
  // composition: a wrapper that composed the fine ops itself (profile)
  // would run float32 products.
  std::optional<std::string> fused_step(const NetworkShape& shape) const override {
    if (precision_ == Precision::fp32) return Backend::fused_step(shape);
    return precision_ == Precision::bf16 ? "the fine ops on W1 and dZ1 rounded to bf16 in software"
                                         : "the fine ops on W1 quantised to int8 and dZ1 rounded to bf16, in software";
  }

  // The default step on W1 as the precision's forward product sees it, then
  // dW1 again from dZ1 rounded to bf16, the backward precision of both bf16
  // and int8. W1 is not used after the forward pass, so only it is lowered.
  void compute_gradients(const Parameters& params, const Batch& batch, Workspace& ws,
                         Parameters& grads, float scale) override {
    if (precision_ == Precision::fp32) return Backend::compute_gradients(params, batch, ws, grads, scale);
    const NetworkShape& s = params.shape();
    const int m = batch.size, inputs = s.inputs(), hidden = s.fan_out(1);
    if (!lowered_ || lowered_->shape() != s) lowered_.emplace(s);
    *lowered_ = params;
    lower_forward_weights(precision_, lowered_->weights(1), hidden, inputs);
    gradients_rows(*lowered_, batch, ws, 0, grads, scale);
    // dW1 (H, inputs) = scale · bf16(dZ1)ᵀ · X, X exact as it is in bf16 (bytes / 255 in float)
    const float* dz1 = ws.dz(1, 0);
    rounded_dz1_.resize(std::size_t(m) * hidden);
    for (std::size_t i = 0; i < rounded_dz1_.size(); ++i) rounded_dz1_[i] = round_to_bf16(dz1[i]);
    matmul(Transpose::yes, Transpose::no, hidden, inputs, m, scale, rounded_dz1_.data(), batch.x,
           0.0f, grads.weights(1));
  }

 private:
  std::vector<float> sums_;  // matmul's accumulators, kept to avoid allocating every call
  std::optional<Parameters> lowered_;  // the step's parameters with W1 lowered to the precision
  std::vector<float> rounded_dz1_;     // dZ1 (m, H) rounded to bf16
};

}  // namespace

std::unique_ptr<Backend> make_naive_backend() { return std::make_unique<NaiveBackend>(); }

}  // namespace mnistbench
