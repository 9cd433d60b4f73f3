#pragma once
// One training step at batch m as naive, the reference, computes it, op by
// op, with every intermediate kept: what each op benchmark starts from and
// what its result is checked against. The tutorial's names, sample-major as
// in common/backend.h: Z1 = X·W1ᵀ + b1, A1, Z2, A2, dZ2, dW2, db2, dZ1, dW1, db1.
//
// The buffers are allocated when the object is made (benchmarks are
// registered with views of them) and filled by ensure_computed(), on first
// use, so a --benchmark_filter run pays only for the batches it selects.

#include "common/aligned.h"
#include "common/backend.h"
#include "common/parameters.h"
#include "common/workspace.h"

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

  NetworkShape shape;
  int m;
  Batch batch;                       // the first m images of the training split
  Parameters params;                 // as training starts
  AlignedVector<float> x_w1t;        // X·W1ᵀ (m, H), before the bias
  AlignedVector<float> z1, a1;       // (m, H)
  AlignedVector<float> a1_w2t;       // A1·W2ᵀ (m, 10), before the bias
  AlignedVector<float> z2, a2, dz2;  // (m, 10)
  AlignedVector<float> dz2_w2;       // dZ2·W2 (m, H): the tutorial's W2ᵀ·dZ2
  AlignedVector<float> dz1;          // (m, H)
  Parameters grads;                  // dW1 db1 dW2 db2
  Parameters updated;                // params - alpha·grads
  // naive's own train_step from params: the specification of a whole step.
  Parameters stepped;
  Workspace step_workspace;

 private:
  bool computed_ = false;
};

// The reference for batch m, one per program, made (not computed) on first request.
ReferenceStep& reference_step(int m);

}  // namespace mnistbench::bench
