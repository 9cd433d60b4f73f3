#include "bench/reference_step.h"

#include <algorithm>
#include <map>
#include <memory>

#include "common/errors.h"
#include "common/registry.h"
#include "common/training_data.h"

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
    : shape(shape),
      m(m),
      params(shape),
      x_w1t(matrix(m, shape.hidden)),
      z1(matrix(m, shape.hidden)),
      a1(matrix(m, shape.hidden)),
      a1_w2t(matrix(m, shape.outputs)),
      z2(matrix(m, shape.outputs)),
      a2(matrix(m, shape.outputs)),
      dz2(matrix(m, shape.outputs)),
      dz2_w2(matrix(m, shape.hidden)),
      dz1(matrix(m, shape.hidden)),
      grads(shape),
      updated(shape),
      stepped(shape),
      step_workspace(shape, m) {}

void ReferenceStep::ensure_computed() {
  if (computed_) return;
  const LabelledImages& train = training_data().train;
  if (train.count != full_batch_size())
    throw DataError("the benchmarks expect MNIST's 60,000 training images; the data has " +
                    std::to_string(train.count + kDevSize));
  batch = {train.x.data(), train.pixels.data(), train.labels.data(), m};
  initialise(params, Initialisation::uniform, kSeed);

  // The calls of Backend::train_step (common/backend.cpp), keeping each
  // result; copies go into the buffers in place, since benchmarks hold views of them.
  const auto naive = make_backend("naive");
  const int H = shape.hidden, O = shape.outputs, I = shape.inputs;
  const float inv_m = 1.0f / float(m);
  naive->matmul(Transpose::no, Transpose::yes, m, H, I, 1.0f, batch.x, params.w1(), 0.0f, x_w1t.data());
  std::ranges::copy(x_w1t, z1.begin());
  naive->add_bias(z1.data(), params.b1(), m, H);
  naive->relu_forward(a1.data(), z1.data(), a1.size());
  naive->matmul(Transpose::no, Transpose::yes, m, O, H, 1.0f, a1.data(), params.w2(), 0.0f, a1_w2t.data());
  std::ranges::copy(a1_w2t, z2.begin());
  naive->add_bias(z2.data(), params.b2(), m, O);
  naive->softmax_rows(a2.data(), z2.data(), m, O);
  naive->softmax_cross_entropy_backward(dz2.data(), a2.data(), batch.labels, m, O);
  naive->matmul(Transpose::yes, Transpose::no, O, H, m, inv_m, dz2.data(), a1.data(), 0.0f, grads.w2());
  naive->column_sums(grads.b2(), dz2.data(), m, O, inv_m);
  naive->matmul(Transpose::no, Transpose::no, m, H, O, 1.0f, dz2.data(), params.w2(), 0.0f, dz2_w2.data());
  naive->relu_backward(dz1.data(), dz2_w2.data(), z1.data(), dz1.size());
  naive->matmul(Transpose::yes, Transpose::no, H, I, m, inv_m, dz1.data(), batch.x, 0.0f, grads.w1());
  naive->column_sums(grads.b1(), dz1.data(), m, H, inv_m);
  std::ranges::copy(params.all(), updated.all().begin());
  naive->sgd_update(updated.all().data(), grads.all().data(), updated.all().size(), kAlpha);

  std::ranges::copy(params.all(), stepped.all().begin());
  Parameters step_grads(shape);
  naive->train_step(stepped, step_grads, batch, step_workspace, kAlpha);
  computed_ = true;
}

ReferenceStep& reference_step(int m) {
  static std::map<int, std::unique_ptr<ReferenceStep>> steps;
  auto& step = steps[m];
  if (!step) step = std::make_unique<ReferenceStep>(NetworkShape{}, m);
  return *step;
}

}  // namespace mnistbench::bench
