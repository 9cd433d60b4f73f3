#include "common/model/workspace.h"

namespace mnistbench {

Workspace::Workspace(const NetworkShape& shape, int max_batch) : shape_(shape), max_batch_(max_batch) {
  for (int l = 1; l <= shape.layers(); ++l) {
    const std::size_t size = std::size_t(max_batch) * shape.fan_out(l);
    z_.emplace_back(size);
    a_.emplace_back(size);
    dz_.emplace_back(size);
  }
}

}  // namespace mnistbench
