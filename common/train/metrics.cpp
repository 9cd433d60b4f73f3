#include "common/train/metrics.h"

#include <algorithm>
#include <cmath>

namespace mnistbench {

namespace {

struct Totals {
  double loss = 0.0;
  long correct = 0;
};

Totals accumulate(std::span<const float> probabilities, const std::uint8_t* labels, int classes) {
  Totals totals;
  const std::size_t m = probabilities.size() / std::size_t(classes);
  for (std::size_t i = 0; i < m; ++i) {
    const float* p = probabilities.data() + i * classes;
    // The floor keeps log() finite if a probability underflows to 0.
    totals.loss -= std::log(std::max(double(p[labels[i]]), 1e-30));
    const int predicted = int(std::max_element(p, p + classes) - p);
    totals.correct += predicted == labels[i];
  }
  return totals;
}

}  // namespace

Evaluation evaluate_probabilities(std::span<const float> probabilities, const std::uint8_t* labels,
                                  int classes) {
  const Totals totals = accumulate(probabilities, labels, classes);
  const double m = double(probabilities.size() / std::size_t(classes));
  return {totals.loss / m, double(totals.correct) / m};
}

Evaluation evaluate(Backend& backend, const Parameters& params, const Dataset& images,
                    Workspace& ws) {
  if (images.count == 0) return {};
  const int classes = params.shape().outputs();
  const std::size_t inputs = std::size_t(images.image_size());
  // Scaled a chunk at a time, so no split needs a float copy of its own.
  AlignedVector<float> x(std::size_t(ws.max_batch()) * inputs);
  Totals totals;
  for (int first = 0; first < images.count; first += ws.max_batch()) {
    const int m = std::min(ws.max_batch(), images.count - first);
    const std::uint8_t* pixels = images.pixels.data() + std::size_t(first) * inputs;
    scale_pixels(pixels, std::size_t(m) * inputs, x.data());
    const Batch chunk{pixels, x.data(), images.labels.data() + first, m};
    backend.forward(params, chunk, ws);
    const Totals part = accumulate(backend.probabilities(ws, m), chunk.labels, classes);
    totals.loss += part.loss;
    totals.correct += part.correct;
  }
  return {totals.loss / images.count, double(totals.correct) / images.count};
}

}  // namespace mnistbench
