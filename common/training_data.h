#pragma once
// The data set as the trainer uses it: split into train and dev from the
// seed, pixels scaled to [0, 1] once, before training, as the tutorial does.

#include <cstdint>
#include <optional>

#include "common/aligned.h"
#include "common/dataset.h"

namespace mnistbench {

struct LabelledImages {
  int count = 0;
  int inputs = 0;
  AlignedVector<float> x;             // (count, inputs) = pixels / 255; the training split only
  std::vector<std::uint8_t> pixels;   // (count, inputs) the same images as bytes
  std::vector<std::uint8_t> labels;   // (count)
};

struct TrainingData {
  std::string description;
  LabelledImages train;
  LabelledImages dev;                 // empty when dev_size is 0
  std::optional<LabelledImages> test;
  // The shuffle of the training file's images: dev is the first dev.count of
  // these indices, train the rest, in this order (so peers can rebuild the split).
  std::vector<std::uint32_t> split_order;
};

// Shuffles the training images with the seed, takes the first dev_size as
// the dev split and the rest for training, like the tutorial's
// np.random.shuffle. Throws UsageError if dev_size leaves no training image.
TrainingData prepare_training_data(DataSource source, int dev_size, std::uint64_t seed);

// The images at the given indices, with x scaled, for training on them.
LabelledImages select_images(const Dataset& from, const std::vector<std::uint32_t>& indices,
                             std::size_t first, std::size_t count);

// A permutation of 0..n-1 drawn from random (Fisher-Yates).
class Random;
std::vector<std::uint32_t> shuffled_indices(std::size_t n, Random& random);

}  // namespace mnistbench
