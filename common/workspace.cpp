#include "common/workspace.h"

namespace mnistbench {

Workspace::Workspace(const NetworkShape& shape, int max_batch)
    : max_batch(max_batch),
      hidden_pre(std::size_t(max_batch) * shape.hidden),
      hidden(std::size_t(max_batch) * shape.hidden),
      logits(std::size_t(max_batch) * shape.outputs),
      probabilities(std::size_t(max_batch) * shape.outputs),
      logits_grad(std::size_t(max_batch) * shape.outputs),
      hidden_grad(std::size_t(max_batch) * shape.hidden) {}

}  // namespace mnistbench
