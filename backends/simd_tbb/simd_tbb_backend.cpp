// simd_tbb: the simd backend's fused step (backends/simd/fused_step.h), run
// by oneTBB on fixed tiles of the batch. Each tile of kTileRows samples runs
// forward and backward on its own rows and writes its own partial gradients;
// the partials are then added in tile order. The tiles follow from the batch
// size alone and each sum's order is fixed, so any thread count gives the
// same bits. A batch of one tile or less (mini-batches) runs inline on the
// calling thread: at batch 64 a hand-off to a worker costs more than it saves.
//
// The fine ops are simd's kernels, single-threaded: every step the trainer
// takes goes through train_step, which is where the time is.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/simd/fused_step.h"
#include "backends/simd/kernel_ops.h"
#include "common/backend.h"

namespace mnistbench {
namespace {

// Samples per tile: 8 of simd's blocks. A full batch of 59,000 gives 58
// tiles, plenty to balance 2 or 16 threads, while adding up the 58 partials
// (7,900 floats each) costs well under 1% of the step.
constexpr int kTileRows = 8 * simd::kStepBlock;

// Floats of the partials' sum per band of the final reduction.
constexpr std::size_t kReduceBand = 1024;

class SimdTbbBackend final : public simd::KernelOps {
 public:
  SimdTbbBackend() : KernelOps(simd::chosen_kernels()), arena_(tbb::info::default_concurrency()) {}

  std::string_view name() const override { return "simd_tbb"; }
  BackendInfo info() const override {
    return {std::string("hand-written intrinsics on oneTBB ") + TBB_runtime_version(),
            kernels_.isa, arena_.max_concurrency()};
  }

  void set_threads(int requested) override {
    const int threads = std::max(1, requested);
    // As in tbb: more threads than cores need the process-wide limit raised.
    oversubscribed_.reset();
    if (threads > tbb::info::default_concurrency())
      oversubscribed_.emplace(tbb::global_control::max_allowed_parallelism, threads);
    arena_.terminate();
    arena_.initialize(threads);
  }

  void train_step(Parameters& params, Parameters& grads, const Batch& batch, Workspace& ws,
                  float alpha) override {
    const NetworkShape& s = params.shape();
    const int m = batch.size;
    const float scale = 1.0f / float(m);
    const int tiles = std::max(1, (m + kTileRows - 1) / kTileRows);
    if (tiles == 1) {
      // One tile: its partial is the gradient itself, the same bits as the tiled sum of one.
      simd::step_rows(kernels_, params, batch, ws, 0, m, scale, grads);
    } else {
      while (int(partials_.size()) < tiles) partials_.emplace_back(s);
      arena_.execute([&] {
        tbb::parallel_for(
            tbb::blocked_range<int>(0, tiles, 1),
            [&](const tbb::blocked_range<int>& r) {
              for (int t = r.begin(); t < r.end(); ++t)
                simd::step_rows(kernels_, params, batch, ws, t * kTileRows,
                                std::min(m, (t + 1) * kTileRows), scale, partials_[t]);
            },
            tbb::simple_partitioner());
        // grads = Σ partials in tile order, element by element (padding stays zero).
        float* g = grads.all().data();
        const std::size_t n = grads.all().size();
        tbb::parallel_for(
            tbb::blocked_range<std::size_t>(0, n, kReduceBand),
            [&](const tbb::blocked_range<std::size_t>& r) {
              const std::size_t j0 = r.begin(), width = r.end() - r.begin();
              std::copy_n(partials_[0].all().data() + j0, width, g + j0);
              // p - (-1)·g is p + g exactly: the kernels' update adds the next partial.
              for (int t = 1; t < tiles; ++t)
                kernels_.sgd_update(g + j0, partials_[t].all().data() + j0, width, -1.0f);
            },
            tbb::simple_partitioner());
      });
    }
    // W -= alpha · dW over the whole flat block (padding is zero in both).
    kernels_.sgd_update(params.all().data(), grads.all().data(), params.all().size(), alpha);
  }

 private:
  std::optional<tbb::global_control> oversubscribed_;
  tbb::task_arena arena_;
  std::vector<Parameters> partials_;    // each tile's gradients, scaled by 1/m
};

}  // namespace

std::unique_ptr<Backend> make_simd_tbb_backend() { return std::make_unique<SimdTbbBackend>(); }

}  // namespace mnistbench
