#pragma once
// The common interface every compute backend implements: the table of
// operations that one training step of the 784-H-10 network is built from.
//
// Layout, everywhere: matrices are row-major and contiguous, and activations
// are sample-major, one sample per row: a batch of m images is X (m, 784).
// That is the tutorial's column-per-example X (784, m) in the same bytes, so
// its W1 @ X is written here as X · W1ᵀ, giving Z1 (m, H).
//
// The default forward() and train_step() (backend.cpp) compose the fine ops in
// the tutorial's order; a backend may override either with a fused version,
// as long as it computes the same thing (the tests hold it to naive).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/parameters.h"
#include "common/workspace.h"

namespace mnistbench {

enum class Transpose : bool { no = false, yes = true };

// What a backend reports about itself, for `list` and for every result.
struct BackendInfo {
  std::string library;  // what does the work, with its version: "Eigen 3.4.0"
  std::string isa;      // instruction set of the hot loops: "AVX-512", "scalar"
  int threads = 1;      // threads the backend really uses now
};

// One batch of training images. x and pixels hold the same images: x = pixels / 255.
struct Batch {
  const float* x = nullptr;               // (m, inputs) scaled to [0, 1]
  const std::uint8_t* pixels = nullptr;   // (m, inputs) raw bytes
  const std::uint8_t* labels = nullptr;   // (m) digits 0-9
  int size = 0;                           // m
};

class Backend {
 public:
  virtual ~Backend() = default;

  // The registry key: one name for folder, class, CMake option, tests and benchmarks.
  virtual std::string_view name() const = 0;
  virtual BackendInfo info() const = 0;
  // Asks for a thread count (>= 1); backends without threads ignore it and keep reporting 1.
  virtual void set_threads(int requested) { (void)requested; }

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
  // dZ may be dA (the trainer does it in place).
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

  // ws.probabilities (m, outputs) for the images x (m, inputs).
  virtual void forward(const Parameters& params, const float* x, int m, Workspace& ws);

  // One full step of gradient descent on the batch: forward, backward, update.
  // Leaves the pre-update forward pass in ws (ws.probabilities gives that step's loss).
  virtual void train_step(Parameters& params, Parameters& grads, const Batch& batch,
                          Workspace& ws, float alpha);
};

}  // namespace mnistbench
