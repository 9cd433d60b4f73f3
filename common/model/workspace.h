#pragma once
// The intermediate matrices of one training step, allocated once for the
// largest batch so that no op allocates inside the training loop. For each
// layer l = 1..L of the network: Z(l), its activation A(l) (ReLU, or softmax
// for the last layer: A(L) is the probabilities) and dZ(l), each (m, fan_out(l)),
// one sample per row. Backends create it (Backend::make_workspace); row r of
// a sample range is at z(l, r) and so on, so a tile of the batch has its own rows.

#include <cstddef>
#include <vector>

#include "common/platform/aligned.h"
#include "common/model/network_shape.h"

namespace mnistbench {

class Workspace {
 public:
  Workspace(const NetworkShape& shape, int max_batch);

  int max_batch() const { return max_batch_; }
  const NetworkShape& shape() const { return shape_; }

  float* z(int l, int row = 0) { return at(z_, l, row); }
  float* a(int l, int row = 0) { return at(a_, l, row); }
  float* dz(int l, int row = 0) { return at(dz_, l, row); }
  const float* z(int l, int row = 0) const { return at(z_, l, row); }
  const float* a(int l, int row = 0) const { return at(a_, l, row); }
  const float* dz(int l, int row = 0) const { return at(dz_, l, row); }

 private:
  using Layers = std::vector<AlignedVector<float>>;
  float* at(Layers& buffers, int l, int row) const {
    return buffers[std::size_t(l) - 1].data() + std::size_t(row) * shape_.fan_out(l);
  }
  const float* at(const Layers& buffers, int l, int row) const {
    return buffers[std::size_t(l) - 1].data() + std::size_t(row) * shape_.fan_out(l);
  }

  NetworkShape shape_;
  int max_batch_;
  Layers z_, a_, dz_;
};

}  // namespace mnistbench
