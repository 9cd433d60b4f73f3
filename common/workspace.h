#pragma once
// The intermediate matrices of one training step, allocated once for the
// largest batch so that no op allocates inside the training loop.

#include "common/aligned.h"
#include "common/parameters.h"

namespace mnistbench {

struct Workspace {
  Workspace(const NetworkShape& shape, int max_batch);

  int max_batch;
  AlignedVector<float> hidden_pre;      // Z1 (m, hidden)
  AlignedVector<float> hidden;          // A1 (m, hidden)
  AlignedVector<float> logits;          // Z2 (m, outputs)
  AlignedVector<float> probabilities;   // A2 (m, outputs)
  AlignedVector<float> logits_grad;     // dZ2 (m, outputs)
  AlignedVector<float> hidden_grad;     // W2ᵀ·dZ2, then dZ1 (m, hidden)
};

}  // namespace mnistbench
