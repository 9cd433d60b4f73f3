#pragma once
// The bounds a run is checked against before anything is allocated or
// trained, so that a value too large for this program or this machine is one
// line naming the flag, not a crash, an overflow or an hour of swapping.

#include <cstddef>
#include <cstdint>

#include "common/train/run.h"

namespace mnistbench {

// Steps in one run. The trainer keeps each step's time (8 bytes) for the
// median; 10 million steps is 80 MB of them, and about 170 epochs at batch 1.
inline constexpr std::int64_t kMaxSteps = 10'000'000;

// What the run's buffers will take, estimated from the layer list and the
// batch: the step's workspace, the evaluation workspace, the float copy of the
// input for a backend that reads floats, and the parameters with their
// gradients and one partial gradient per 1024-sample tile (the most any
// backend keeps), and with shards, two more blocks of gradients per shard
// (its own and its gathered copy). The loaded images are not counted: they
// are already in memory.
std::size_t estimated_run_bytes(const NetworkShape& shape, int batch_size, bool float_input, int shards = 1);

// Physical memory of this machine, in bytes (0 if unknown).
std::size_t physical_memory_bytes();

// Throws UsageError naming the flag when the options make more than
// kMaxSteps steps, a batch larger than the training split, or a run whose
// estimated memory exceeds this machine's.
void check_run_fits(const RunSettings& settings, int training_images, bool float_input);

}  // namespace mnistbench
