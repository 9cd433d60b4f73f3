#pragma once
// The data set as the trainer uses it: split into train and dev from the
// seed. Every split holds its images once, as the files' raw bytes; a
// backend that computes on floats gets x = pixel / 255 (the tutorial's
// scaling) made for it alone, by the trainer or chunk by chunk.

#include <cstdint>
#include <optional>

#include "common/platform/aligned.h"
#include "common/data/dataset.h"

namespace mnistbench {

// Each split is a Dataset like the files' (common/data/dataset.h).
struct TrainingData {
  std::string description;
  Dataset train;
  Dataset dev;                 // empty when dev_size is 0
  std::optional<Dataset> test;
  // The shuffle of the training file's images: dev is the first dev.count of
  // these indices, train the rest, in this order (so peers can rebuild the split).
  std::vector<std::uint32_t> split_order;
};

// Shuffles the training images with the seed, takes the first dev_size as
// the dev split and the rest for training, like the tutorial's
// np.random.shuffle. Throws UsageError if dev_size leaves no training image.
TrainingData prepare_training_data(DataSource source, int dev_size, std::uint64_t seed);

// The images at the given indices, in that order.
Dataset select_images(const Dataset& from, const std::vector<std::uint32_t>& indices,
                             std::size_t first, std::size_t count);

// x (n) = pixels (n) / 255: the tutorial's scaling, written once.
void scale_pixels(const std::uint8_t* pixels, std::size_t n, float* x);

// A permutation of 0..n-1 drawn from random (Fisher-Yates).
class Random;
std::vector<std::uint32_t> shuffled_indices(std::size_t n, Random& random);

}  // namespace mnistbench
