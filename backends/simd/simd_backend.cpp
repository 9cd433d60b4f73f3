// simd: hand-written intrinsics, one path per instruction set (AVX-512,
// AVX2+FMA, and a portable scalar fallback) behind this one Backend, run on
// the common executor over fixed tiles of the batch. This file is built with
// the project's baseline flags: it picks the best path the CPU supports once,
// at construction (or the one MNISTBENCH_SIMD forces), and then only calls
// through that path's table of kernels.
//
// compute_gradients cuts the batch into tiles of tiles_.tile_rows samples
// (tile_choice.h: whole blocks of the fused step, near 1,024); each tile
// runs forward and backward on its own rows of the workspace into its own
// partial gradients, and the partials are added in tile order. The tiles
// follow from the batch size and the tile config alone, so 1, 2 or 16
// threads give the same bits. A batch of one tile (every mini-batch) runs
// inline on the calling thread: at batch 64 a hand-off to a worker costs
// more than it saves.
// A tile runs the fused step (fused_step.h) where it covers the network, and
// the default composition of the fine ops (each a pure kernel, safe on any
// thread) for every other layer list.

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "backends/simd/fused_step.h"
#include "backends/simd/kernels.h"
#include "backends/simd/low_precision.h"
#include "backends/simd/simd_path.h"
#include "backends/simd/tile_choice.h"
#include "common/model/backend.h"
#include "common/platform/aligned.h"
#include "common/platform/executor.h"

namespace mnistbench {
namespace {

// The fused step reads X as MNIST's pixel bytes, one per input.
constexpr int kInputBytes = 784;

// Where the tile config came from, for the step's description: the value
// that forced it, or the caches it was derived from.
std::string tiles_origin(const char* forced) {
  if (forced != nullptr && *forced != '\0')
    return std::string("forced: ") + simd::kSimdTilesVariable + "=" + forced;
  return "from " + describe(machine_cache_sizes());
}

const simd::Kernels& kernels_for(simd::SimdPath path) {
  switch (path) {
#if MNISTBENCH_SIMD_AVX_PATHS
    case simd::SimdPath::avx512: return simd::kAvx512Kernels;
    case simd::SimdPath::avx2: return simd::kAvx2Kernels;
#else
    case simd::SimdPath::avx512:
    case simd::SimdPath::avx2:  // never chosen: cpu_supports says no for them here
#endif
    case simd::SimdPath::scalar: break;
  }
  return simd::kScalarKernels;
}

class SimdBackend final : public Backend {
 public:
  SimdBackend()
      : kernels_(kernels_for(simd::choose_simd_path(std::getenv(simd::kSimdPathVariable)))),
        tiles_(simd::choose_tile_config(
            std::getenv(simd::kSimdTilesVariable),
            simd::derive_tile_config(machine_cache_sizes(), kernels_.vector_floats, kInputBytes))),
        tiles_origin_(tiles_origin(std::getenv(simd::kSimdTilesVariable))),
        step_kernels_(kernels_) {}

  std::string_view name() const override { return "simd"; }
  BackendInfo info() const override {
    return {"hand-written intrinsics on " + Executor::engine(), kernels_.isa, executor_.threads()};
  }
  void set_threads(int requested) override { executor_.set_threads(requested); }

  // bf16 and int8 run in the fused step only: its two products with the
  // input are swapped for the low-precision kernels (low_precision.h).
  std::optional<std::string> precision_refusal(Precision precision,
                                               const NetworkShape& shape) const override {
    if (auto refusal = simd::low_precision_refusal(precision)) return refusal;
    if (precision != Precision::fp32 && !simd::fused_step_covers(shape))
      return "runs bf16 and int8 in its fused step only, for one hidden layer";
    return std::nullopt;
  }
  void set_precision(Precision precision) override {
    Backend::set_precision(precision);
    step_kernels_ = kernels_;
#if MNISTBENCH_SIMD_AVX_PATHS
    const simd::LowPrecisionKernels& low = simd::kAvx512LowPrecisionKernels;
    if (precision == Precision::bf16) step_kernels_.matmul_x_lowered_w1t_bytes = low.x_w1t_bf16;
    if (precision == Precision::int8) step_kernels_.matmul_x_lowered_w1t_bytes = low.x_w1t_int8;
    if (precision != Precision::fp32) step_kernels_.matmul_dz1t_x_bytes = low.dz1t_x_bf16;
#endif
  }

  // Either way simd's step is its own: tiles of the batch on the executor,
  // which no wrapper of the fine ops can see, so the profiler times it as
  // one call (and --unfused shows the fine ops composed without tiles).
  // With the tile config and the caches it came from, so every result records them.
  std::optional<std::string> fused_step(const NetworkShape& shape) const override {
    std::string step;
    if (!simd::fused_step_covers(shape)) {
      step = "fine ops per " + std::to_string(tiles_.tile_rows) + "-sample tile, tiles in parallel";
    } else {
      step = "fused: pixel bytes, one pass per " + std::to_string(tiles_.step_block) +
             "-sample block";
      if (simd::runs_small_layers(kernels_, shape)) step += ", 10-10 layers in registers";
      if (precision_ == Precision::bf16) step += ", bf16 products (vdpbf16ps)";
      if (precision_ == Precision::int8)
        step += ", int8 forward (vpdpbusd), bf16 backward (vdpbf16ps)";
    }
    return step + "; tiles " + describe(tiles_) + " (" + tiles_origin_ + ")";
  }
  InputForm input_form(const NetworkShape& shape) const override {
    return simd::fused_step_covers(shape) ? InputForm::pixel_bytes : InputForm::floats;
  }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    kernels_.matmul(trans_a == Transpose::yes, trans_b == Transpose::yes, M, N, K, alpha, A, B,
                    beta, C, 0, tiles_);
  }
  void add_bias(float* Z, const float* b, int rows, int cols) override {
    kernels_.add_bias(Z, b, rows, cols);
  }
  void relu_forward(float* A, const float* Z, std::size_t n) override {
    kernels_.relu_forward(A, Z, n);
  }
  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    kernels_.relu_backward(dZ, dA, Z, n);
  }
  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    kernels_.softmax_rows(P, Z, rows, cols);
  }
  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    kernels_.softmax_cross_entropy_backward(dZ, P, labels, rows, cols);
  }
  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    kernels_.column_sums(out, M, rows, cols, scale);
  }
  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    kernels_.sgd_update(params, grads, n, alpha);
  }

  void compute_gradients(const Parameters& params, const Batch& batch, Workspace& ws,
                         Parameters& grads, float scale) override {
    lower_w1(params);
    const int rows = tiles_.tile_rows;
    const int tiles = std::max(1, (batch.size + rows - 1) / rows);
    // One tile: its partial is the gradient itself, the same bits as a sum of one.
    if (tiles == 1) return tile_gradients(params, batch, 0, ws, 0, grads, scale);
    reserve_partials(params.shape(), tiles);
    executor_.for_each_tile(tiles, [&](int t) {
      const int first = t * rows, count = std::min(rows, batch.size - first);
      const Batch tile = batch.rows(first, count, params.shape().inputs());
      tile_gradients(params, tile, batch.size - first - count, ws, first, partials_[std::size_t(t)],
                     scale);
    });
    // grads = Σ partials in tile order (the padding, zero in each, stays zero).
    executor_.sum_in_order(grads.all().data(), std::span(partial_data_).first(std::size_t(tiles)),
                           grads.all().size());
  }

 private:
  // One tile's gradients into grads, its rows of ws starting at row; the
  // batch goes on for rows_after more rows past it.
  void tile_gradients(const Parameters& params, const Batch& tile, int rows_after, Workspace& ws,
                      int row, Parameters& grads, float scale) {
    if (simd::fused_step_covers(params.shape()))
      simd::fused_gradients_rows(step_kernels_, tiles_, params, tile, rows_after, ws, row, grads,
                                 scale,
                                 lowered_w1_.empty() ? nullptr : lowered_w1_.data(),
                                 lowered_scales_.data());
    else
      gradients_rows(params, tile, ws, row, grads, scale);
  }

  // At bf16 and int8, W1 as the forward product reads it, lowered once for
  // the whole step: every tile and block reads the same copy (lowered_w1_
  // stays empty at fp32).
  void lower_w1(const Parameters& params) {
#if MNISTBENCH_SIMD_AVX_PATHS
    if (step_kernels_.matmul_x_lowered_w1t_bytes == nullptr) return lowered_w1_.clear();
    const simd::LowPrecisionKernels& low = simd::kAvx512LowPrecisionKernels;
    const NetworkShape& shape = params.shape();
    const int hidden = shape.fan_out(1), inputs = shape.inputs();
    lowered_w1_.resize(low.lowered_w1_bytes(precision_, hidden, inputs));
    lowered_scales_.resize(std::size_t(hidden));
    low.lower_w1(precision_, params.weights(1), hidden, inputs, lowered_w1_.data(),
                 lowered_scales_.data());
#else
    (void)params;
#endif
  }

  // Partial gradients for this many tiles of this network, made on the first
  // step that needs them and reused by every later one.
  void reserve_partials(const NetworkShape& shape, int tiles) {
    if (!partials_.empty() && partials_.front().shape() != shape) partials_.clear();
    if (int(partials_.size()) >= tiles) return;
    while (int(partials_.size()) < tiles) partials_.emplace_back(shape);
    partial_data_.clear();
    for (const Parameters& partial : partials_) partial_data_.push_back(partial.all().data());
  }

  const simd::Kernels& kernels_;
  const simd::TileConfig tiles_;
  const std::string tiles_origin_;
  simd::Kernels step_kernels_;  // kernels_ with the products of precision_ (set_precision)
  AlignedVector<std::uint8_t> lowered_w1_;  // this step's W1 for the forward product (lower_w1)
  std::vector<float> lowered_scales_;       // its rows' scales, at int8
  Executor executor_;
  std::vector<Parameters> partials_;  // each tile's gradients, already scaled
  std::vector<const float*> partial_data_;  // partials_' flat blocks, in tile order
};

}  // namespace

std::unique_ptr<Backend> make_simd_backend() { return std::make_unique<SimdBackend>(); }

}  // namespace mnistbench
