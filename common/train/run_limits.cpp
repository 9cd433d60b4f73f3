#include "common/train/run_limits.h"

#include <unistd.h>

#include <fmt/core.h>

#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"

namespace mnistbench {

std::size_t estimated_run_bytes(const NetworkShape& shape, int batch_size, bool float_input, int shards) {
  constexpr std::size_t kFloat = sizeof(float);
  // simd keeps one partial gradient per tile of the batch. Its derived tile
  // (backends/simd/tile_choice.h) is 1024 samples rounded to whole blocks,
  // never fewer than 683, so counting tiles of 683 overcounts rather than
  // undercounts; tiles forced smaller by MNISTBENCH_SIMD_TILES are outside
  // this estimate.
  constexpr int kTileRows = 683;
  constexpr int kEvaluationRows = 1000;
  std::size_t activations = 0;  // floats of one sample's Z, A and dZ across the layers
  for (int l = 1; l <= shape.layers(); ++l) activations += 3 * std::size_t(shape.fan_out(l));
  const std::size_t rows = std::size_t(batch_size) + kEvaluationRows;
  const std::size_t tiles = std::size_t(batch_size + kTileRows - 1) / kTileRows;
  std::size_t bytes = rows * activations * kFloat;
  bytes += (3 + tiles) * shape.parameter_count() * kFloat;
  if (shards > 1) bytes += 2 * std::size_t(shards) * shape.parameter_count() * kFloat;
  if (float_input) bytes += rows * std::size_t(shape.inputs()) * kFloat;
  return bytes;
}

std::size_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  return pages > 0 && page_size > 0 ? std::size_t(pages) * std::size_t(page_size) : 0;
}

void check_run_fits(const RunSettings& settings, int training_images, bool float_input) {
  const TrainOptions& t = settings.train;
  if (!t.full_batch() && t.batch_size > training_images)
    throw UsageError(fmt::format("--batch-size: {} is more than the {} training images "
                                 "(0 trains on the full batch)", t.batch_size, training_images));
  const std::int64_t steps = total_steps(t, training_images);
  if (t.full_batch() && steps > kMaxSteps)
    throw UsageError(fmt::format("--iterations: {} steps, above the limit of {}", steps, kMaxSteps));
  if (steps > kMaxSteps)
    throw UsageError(fmt::format("--epochs: {} epochs of {} steps (batch {}) are {} steps, above the "
                                 "limit of {}", t.epochs, steps / t.epochs, t.batch_size, steps, kMaxSteps));
  const int shards = settings.distributed ? join_mpi_world().shards() : settings.shards;
  const std::size_t needed =
      estimated_run_bytes(settings.network, batch_size(t, training_images), float_input, shards);
  const std::size_t available = physical_memory_bytes();
  if (available > 0 && needed > available)
    throw UsageError(fmt::format("--layers: network {} at {} images per step needs about {:.1f} GB of "
                                 "buffers, more than this machine's {:.1f} GB (narrow the layers or "
                                 "use --batch-size)", settings.network.to_string(),
                                 batch_size(t, training_images), needed / 1e9, available / 1e9));
}

}  // namespace mnistbench
