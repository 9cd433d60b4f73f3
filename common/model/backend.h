#pragma once
// The common interface every compute backend implements: the table of
// operations that a training step of the network is built from, the two
// halves of the step, and the buffers the step works in.
//
// Layout, everywhere: matrices are row-major and contiguous, and activations
// are sample-major, one sample per row: a batch of m images is X (m, 784).
// That is the tutorial's column-per-example X (784, m) in the same bytes, so
// its W1 @ X is written here as X · W1ᵀ, giving Z1 (m, H).
//
// The defaults (backend.cpp) compose the fine ops layer by layer in the
// tutorial's order; a backend may override compute_gradients (or forward)
// with a fused version for the shapes it is written for, as long as it
// computes the same thing (the tests hold it to naive), and falls back to
// the defaults elsewhere. fused_step() says which one runs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/model/parameters.h"
#include "common/model/precision.h"
#include "common/model/workspace.h"

namespace mnistbench {

enum class Transpose : bool { no = false, yes = true };

// What a backend reports about itself, for `list` and for every result.
struct BackendInfo {
  std::string library;  // what does the work, with its version: "Eigen 3.4.0"
  std::string isa;      // instruction set of the hot loops: "AVX-512", "scalar"
  int threads = 1;      // threads the backend really uses now
};

// A batch of images. The images are held once, as the files' raw bytes; x,
// the float copy (pixels / 255), is made for the step only when the
// backend's input_form() is floats (the trainer makes it for that backend
// alone). forward() always gets both: evaluation scales each chunk as it goes.
struct Batch {
  const std::uint8_t* pixels = nullptr;   // (m, inputs) raw bytes 0-255
  const float* x = nullptr;               // (m, inputs) pixels / 255, or null
  const std::uint8_t* labels = nullptr;   // (m) digits 0-9
  int size = 0;                           // m

  // Samples [first, first + count) of this batch.
  Batch rows(int first, int count, int inputs) const;
};

enum class InputForm { pixel_bytes, floats };

class Backend {
 public:
  virtual ~Backend() = default;

  // The registry key: one name for folder, class, CMake option, tests and benchmarks.
  virtual std::string_view name() const = 0;
  virtual BackendInfo info() const = 0;
  // Asks for a thread count (>= 1). Backends without threads keep reporting 1;
  // a count the backend cannot start throws UsageError naming --threads.
  virtual void set_threads(int requested) { (void)requested; }

  // Why this backend cannot run the step's products in this precision (see
  // common/model/precision.h) for this network on this CPU, in a few words,
  // or nothing when it can. float32 always runs.
  virtual std::optional<std::string> precision_refusal(Precision precision,
                                                       const NetworkShape& shape) const;
  // The step runs its products in this precision from now on; only after
  // precision_refusal said nothing against it.
  virtual void set_precision(Precision precision) { precision_ = precision; }
  Precision precision() const { return precision_; }

  // The fused step this backend runs for this network, in a few words ("one
  // pass over pixel-byte tiles"), or nothing when compute_gradients is the
  // default composition of the fine ops. list, profile and every result say
  // which ran; the profiler times a fused step as one call.
  virtual std::optional<std::string> fused_step(const NetworkShape& shape) const;
  // Whether the step reads Batch::pixels only, or needs Batch::x.
  virtual InputForm input_form(const NetworkShape& shape) const;

  // ---- The fine ops ----

  // C (M, N) = alpha · op(A) · op(B) + beta · C, with op(A) (M, K) and op(B) (K, N).
  // A is stored (M, K), or (K, M) when trans_a; B is stored (K, N), or (N, K) when trans_b.
  // With beta == 0, C is overwritten (its old contents may be NaN).
  virtual void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
                      const float* A, const float* B, float beta, float* C) = 0;

  // Z (rows, cols) += b (cols), on every row.
  virtual void add_bias(float* Z, const float* b, int rows, int cols) = 0;

  // A (n) = max(Z, 0).
  virtual void relu_forward(float* A, const float* Z, std::size_t n) = 0;
  // dZ (n) = dA where Z > 0, else 0: the tutorial's (W2ᵀ·dZ2) * ReLU_deriv(Z1).
  // dZ may be dA (the step does it in place).
  virtual void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) = 0;

  // P (rows, cols) = softmax of each row of Z; each row of P sums to 1.
  virtual void softmax_rows(float* P, const float* Z, int rows, int cols) = 0;

  // dZ (rows, cols) = P - one_hot(labels): the gradient of the summed
  // cross-entropy with respect to the logits, for softmax outputs P.
  virtual void softmax_cross_entropy_backward(float* dZ, const float* P,
                                              const std::uint8_t* labels, int rows,
                                              int cols) = 0;

  // out (cols) = scale · the sum of M's rows: the bias gradient.
  virtual void column_sums(float* out, const float* M, int rows, int cols, float scale) = 0;

  // params (n) -= alpha · grads (n): one gradient-descent step over the flat block.
  virtual void sgd_update(float* params, const float* grads, std::size_t n, float alpha) = 0;

  // ---- The step ----

  // ws's A(L) (m, outputs) = the probabilities for the batch's images.
  virtual void forward(const Parameters& params, const Batch& batch, Workspace& ws);

  // Forward and backward over the batch: grads (every view) = scale · the
  // sum over its samples of each sample's gradient, so that scale = 1/M over
  // shards of a batch of M gives shard gradients that add up to the batch's
  // mean. Leaves the forward pass in ws (A(L) gives the batch's loss).
  virtual void compute_gradients(const Parameters& params, const Batch& batch, Workspace& ws,
                                 Parameters& grads, float scale);

  // params -= alpha · grads over the whole flat block (padding is zero in both).
  virtual void apply_update(Parameters& params, const Parameters& grads, float alpha);

  // velocity = momentum · velocity + grads over the whole flat block:
  // heavy-ball momentum's running direction, which apply_update then takes.
  // The default is a plain loop over host memory, for every host backend.
  virtual void accumulate_momentum(Parameters& velocity, const Parameters& grads, float momentum);

  // One step of gradient descent on the batch: compute_gradients with
  // scale 1/m, then apply_update.
  void train_step(Parameters& params, Parameters& grads, const Batch& batch, Workspace& ws,
                  float alpha);

  // ---- Buffers ----
  // The trainer and the metrics get every buffer from the backend and read
  // results through it, never from memory behind it. Host backends keep
  // plain host memory (these defaults); a backend whose memory lives
  // elsewhere overrides them.
  virtual Parameters make_parameters(const NetworkShape& shape) const { return Parameters(shape); }
  virtual Workspace make_workspace(const NetworkShape& shape, int max_batch) const {
    return Workspace(shape, max_batch);
  }
  // params = host's values, and the reverse.
  virtual void write_parameters(Parameters& params, const Parameters& host) const { params = host; }
  virtual void read_parameters(const Parameters& params, Parameters& host) const { host = params; }
  // The first m rows of the last forward pass's probabilities (m, outputs).
  virtual std::span<const float> probabilities(const Workspace& ws, int m) const;

 protected:
  // The default composition over one range of samples: rows [row, row + m)
  // of ws for batch (m samples). A backend that splits its batch into tiles
  // runs this per tile, each into its own partial gradients.
  void forward_rows(const Parameters& params, const Batch& batch, Workspace& ws, int row);
  void gradients_rows(const Parameters& params, const Batch& batch, Workspace& ws, int row,
                      Parameters& grads, float scale);

  Precision precision_ = Precision::fp32;
};

}  // namespace mnistbench
