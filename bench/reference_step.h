#pragma once
// One training step at batch m as naive, the reference, computes it, op by
// op, with every intermediate kept: what each op benchmark starts from and
// what its result is checked against. For each layer l of the network, as
// in common/model/backend.h: Z(l) = A(l-1)·W(l)ᵀ + b(l), A(l), dZ(l), dW(l), db(l).
//
// The buffers are allocated when the object is made (benchmarks are
// registered with views of them) and filled by ensure_computed(), on first
// use, so a --benchmark_filter run pays only for the batches it selects.

#include <vector>

#include "common/platform/aligned.h"
#include "common/model/backend.h"
#include "common/model/parameters.h"
#include "common/model/workspace.h"

namespace mnistbench::bench {

// The settings of the tutorial's run: the first m images of the training
// split (seed 42, 1,000 dev images), weights initialised from the seed.
inline constexpr std::uint64_t kSeed = 42;
inline constexpr int kDevSize = 1000;
inline constexpr float kAlpha = 0.1f;

// The number of training images, the full batch.
int full_batch_size();

class ReferenceStep {
 public:
  ReferenceStep(const NetworkShape& shape, int m);

  // Loads the data (once per program) and runs naive, on the first call only.
  void ensure_computed();

  // A(l) (m, width(l)), with A0 = X: the input of layer l + 1.
  const float* activation(int l) const { return l == 0 ? batch.x : ws.a(l); }

  NetworkShape shape;
  int m;
  Batch batch;                 // the first m images of the training split, as bytes and as floats
  Parameters params;           // as training starts
  Workspace ws;                // naive's compute_gradients: Z(l), A(l) and dZ(l) of every layer
  Parameters grads;            // its gradients (scale 1/m)
  // [l - 1]: A(l-1)·W(l)ᵀ (m, fan_out(l)), before the bias is added in place.
  std::vector<AlignedVector<float>> products;
  // [l - 1]: dZ(l)·W(l) (m, fan_in(l)), before ReLU' is applied in place;
  // the tutorial's W(l)ᵀ·dZ(l). Empty for layer 1, which has none.
  std::vector<AlignedVector<float>> input_gradients;
  // params - alpha·grads: naive's whole step from params, the specification of train_step.
  Parameters updated;

 private:
  AlignedVector<float> x_;     // the batch's floats
  bool computed_ = false;
};

// The reference for this network at batch m, one per program, made (not
// computed) on first request.
ReferenceStep& reference_step(const NetworkShape& shape, int m);

}  // namespace mnistbench::bench
