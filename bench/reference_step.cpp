#include "bench/reference_step.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "common/platform/errors.h"
#include "common/model/registry.h"
#include "common/data/training_data.h"

namespace mnistbench::bench {

namespace {

// The real MNIST, split as `mnistbench train` splits it; loaded once.
const TrainingData& training_data() {
  static const TrainingData data = prepare_training_data(load_data(DataSelection{}), kDevSize, kSeed);
  return data;
}

AlignedVector<float> matrix(int rows, int cols) { return AlignedVector<float>(std::size_t(rows) * cols); }

}  // namespace

int full_batch_size() {
  // The 60,000 images of the MNIST training file less the dev split: fixed by
  // the data set, so benchmarks are named before the data is loaded.
  return 60000 - kDevSize;
}

ReferenceStep::ReferenceStep(const NetworkShape& shape, int m)
    : shape(shape), m(m), params(shape), ws(shape, m), grads(shape), updated(shape) {
  for (int l = 1; l <= shape.layers(); ++l) {
    products.push_back(matrix(m, shape.fan_out(l)));
    input_gradients.push_back(l > 1 ? matrix(m, shape.fan_in(l)) : AlignedVector<float>());
  }
}

void ReferenceStep::ensure_computed() {
  if (computed_) return;
  const Dataset& train = training_data().train;
  if (train.count != full_batch_size())
    throw DataError("the benchmarks expect MNIST's 60,000 training images; the data has " +
                    std::to_string(train.count + kDevSize));
  if (train.image_size() != shape.inputs())
    throw UsageError("MNISTBENCH_LAYERS: the first width is " + std::to_string(shape.inputs()) +
                     " but the images have " + std::to_string(train.image_size()) + " pixels");
  x_.resize(std::size_t(m) * train.image_size());
  scale_pixels(train.pixels.data(), x_.size(), x_.data());
  batch = {train.pixels.data(), x_.data(), train.labels.data(), m};
  initialise(params, Initialisation::uniform, kSeed);

  // naive's step, then the two kinds of product that the step overwrites in
  // place (the bias goes onto the forward product, ReLU' onto the input
  // gradient), made again by the same calls as common/model/backend.cpp makes
  // them. Copies go into the buffers in place, since benchmarks hold views of them.
  const auto naive = make_backend("naive");
  naive->compute_gradients(params, batch, ws, grads, 1.0f / float(m));
  for (int l = 1; l <= shape.layers(); ++l) {
    const int in = shape.fan_in(l), out = shape.fan_out(l);
    naive->matmul(Transpose::no, Transpose::yes, m, out, in, 1.0f, activation(l - 1), params.weights(l), 0.0f,
                  products[std::size_t(l) - 1].data());
    if (l > 1)
      naive->matmul(Transpose::no, Transpose::no, m, in, out, 1.0f, ws.dz(l), params.weights(l), 0.0f,
                    input_gradients[std::size_t(l) - 1].data());
  }
  std::ranges::copy(params.all(), updated.all().begin());
  naive->apply_update(updated, grads, kAlpha);
  computed_ = true;
}

ReferenceStep& reference_step(const NetworkShape& shape, int m) {
  static std::map<std::pair<std::string, int>, std::unique_ptr<ReferenceStep>> steps;
  auto& step = steps[{shape.to_string(), m}];
  if (!step) step = std::make_unique<ReferenceStep>(shape, m);
  return *step;
}

}  // namespace mnistbench::bench
