#include "common/data/training_data.h"

#include <algorithm>
#include <numeric>
#include <utility>
#include <string>

#include "common/platform/errors.h"
#include "common/train/random.h"

namespace mnistbench {

std::vector<std::uint32_t> shuffled_indices(std::size_t n, Random& random) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);
  return order;
}

void scale_pixels(const std::uint8_t* pixels, std::size_t n, float* x) {
  for (std::size_t i = 0; i < n; ++i) x[i] = float(pixels[i]) / 255.0f;
}

Dataset select_images(const Dataset& from, const std::vector<std::uint32_t>& indices,
                             std::size_t first, std::size_t count) {
  Dataset out;
  out.count = int(count);
  out.rows = from.rows;
  out.cols = from.cols;
  const std::size_t size = std::size_t(out.image_size());
  out.pixels.resize(count * size);
  out.labels.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t source = indices[first + i];
    std::copy_n(from.pixels.data() + source * size, size, out.pixels.data() + i * size);
    out.labels[i] = from.labels[source];
  }
  return out;
}

TrainingData prepare_training_data(DataSource source, int dev_size, std::uint64_t seed) {
  const Dataset& train = source.train;
  if (dev_size < 0 || dev_size >= train.count)
    throw UsageError("--dev-size: " + std::to_string(dev_size) + " must be at least 0 and below " +
                     "the " + std::to_string(train.count) + " training images");
  Random random(seed, kSplitStream);
  const std::vector<std::uint32_t> order = shuffled_indices(std::size_t(train.count), random);

  TrainingData data;
  data.description = source.description;
  data.dev = select_images(train, order, 0, std::size_t(dev_size));
  data.train = select_images(train, order, std::size_t(dev_size), std::size_t(train.count - dev_size));
  // The file's order is not needed once split: free its 47 MB before training.
  source.train = {};
  data.test = std::move(source.test);  // the whole set, in the file's order
  data.split_order = order;
  return data;
}

}  // namespace mnistbench
