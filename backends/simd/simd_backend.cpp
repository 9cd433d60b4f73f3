// simd: hand-written intrinsics, single-threaded, one path per instruction
// set (AVX-512, AVX2+FMA, and a portable scalar fallback) behind this one
// Backend. This file is built for baseline x86-64: it picks the best path the
// CPU supports once, at construction (or the one MNISTBENCH_SIMD forces), and
// then only calls through that path's table of kernels.

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "backends/simd/fused_step.h"
#include "backends/simd/kernel_ops.h"
#include "common/backend.h"

namespace mnistbench {
namespace {

class SimdBackend final : public simd::KernelOps {
 public:
  SimdBackend() : KernelOps(simd::chosen_kernels()) {}

  std::string_view name() const override { return "simd"; }
  BackendInfo info() const override { return {"hand-written intrinsics", kernels_.isa, 1}; }

  // The fused step (fused_step.cpp) over the whole batch.
  void train_step(Parameters& params, Parameters& grads, const Batch& batch, Workspace& ws,
                  float alpha) override {
    simd::step_rows(kernels_, params, batch, ws, 0, batch.size, 1.0f / float(batch.size), grads);
    // W -= alpha · dW over the whole flat block (padding is zero in both).
    sgd_update(params.all().data(), grads.all().data(), params.all().size(), alpha);
  }
};

}  // namespace

std::unique_ptr<Backend> make_simd_backend() { return std::make_unique<SimdBackend>(); }

}  // namespace mnistbench
