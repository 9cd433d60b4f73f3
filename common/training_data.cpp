#include "common/training_data.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "common/errors.h"
#include "common/random.h"

namespace mnistbench {

std::vector<std::uint32_t> shuffled_indices(std::size_t n, Random& random) {
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);
  return order;
}

namespace {

// The bytes and labels of the chosen images; x is filled by scale_pixels.
LabelledImages gather_images(const Dataset& from, const std::vector<std::uint32_t>& indices,
                             std::size_t first, std::size_t count) {
  LabelledImages out;
  out.count = int(count);
  out.inputs = from.image_size();
  const std::size_t size = std::size_t(out.inputs);
  out.pixels.resize(count * size);
  out.labels.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t source = indices[first + i];
    std::copy_n(from.pixels.data() + source * size, size, out.pixels.data() + i * size);
    out.labels[i] = from.labels[source];
  }
  return out;
}

void scale_pixels(LabelledImages& images) {
  images.x.resize(images.pixels.size());
  for (std::size_t i = 0; i < images.pixels.size(); ++i) images.x[i] = float(images.pixels[i]) / 255.0f;
}

}  // namespace

LabelledImages select_images(const Dataset& from, const std::vector<std::uint32_t>& indices,
                             std::size_t first, std::size_t count) {
  LabelledImages out = gather_images(from, indices, first, count);
  scale_pixels(out);
  return out;
}

namespace {

// Evaluation scales its chunks as it goes, so the test set keeps its bytes only.
LabelledImages all_images(const Dataset& from) {
  std::vector<std::uint32_t> identity(from.count);
  std::iota(identity.begin(), identity.end(), 0u);
  return gather_images(from, identity, 0, identity.size());
}

}  // namespace

TrainingData prepare_training_data(DataSource source, int dev_size, std::uint64_t seed) {
  const Dataset& train = source.train;
  if (dev_size < 0 || dev_size >= train.count)
    throw UsageError("--dev-size: " + std::to_string(dev_size) + " must be at least 0 and below " +
                     "the " + std::to_string(train.count) + " training images");
  Random random(seed, kSplitStream);
  const std::vector<std::uint32_t> order = shuffled_indices(std::size_t(train.count), random);

  TrainingData data;
  data.description = source.description;
  data.dev = gather_images(train, order, 0, std::size_t(dev_size));  // evaluated only: bytes suffice
  data.train = gather_images(train, order, std::size_t(dev_size), std::size_t(train.count - dev_size));
  // Free the file's bytes before the float copy is made, to keep the peak
  // memory of a full-batch run (float X is 185 MB) low.
  source.train = {};
  scale_pixels(data.train);
  if (source.test) data.test = all_images(*source.test);
  data.split_order = order;
  return data;
}

}  // namespace mnistbench
