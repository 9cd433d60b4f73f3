#include "common/metrics.h"

#include <algorithm>
#include <cmath>

namespace mnistbench {

namespace {

struct Totals {
  double loss = 0.0;
  long correct = 0;
};

Totals accumulate(const float* probabilities, const std::uint8_t* labels, int m, int classes) {
  Totals totals;
  for (int i = 0; i < m; ++i) {
    const float* p = probabilities + std::size_t(i) * classes;
    // The floor keeps log() finite if a probability underflows to 0.
    totals.loss -= std::log(std::max(double(p[labels[i]]), 1e-30));
    const int predicted = int(std::max_element(p, p + classes) - p);
    totals.correct += predicted == labels[i];
  }
  return totals;
}

}  // namespace

Evaluation evaluate_probabilities(const float* probabilities, const std::uint8_t* labels, int m,
                                  int classes) {
  const Totals totals = accumulate(probabilities, labels, m, classes);
  return {totals.loss / m, double(totals.correct) / m};
}

Evaluation evaluate(Backend& backend, const Parameters& params, const LabelledImages& images,
                    Workspace& ws) {
  if (images.count == 0) return {};
  const int classes = params.shape().outputs;
  const std::size_t inputs = std::size_t(images.inputs);
  // Scaled a chunk at a time, so the dev and test splits need no float copy of their own.
  AlignedVector<float> x(std::size_t(ws.max_batch) * inputs);
  Totals totals;
  for (int first = 0; first < images.count; first += ws.max_batch) {
    const int m = std::min(ws.max_batch, images.count - first);
    const std::uint8_t* pixels = images.pixels.data() + std::size_t(first) * inputs;
    for (std::size_t i = 0; i < std::size_t(m) * inputs; ++i) x[i] = float(pixels[i]) / 255.0f;
    backend.forward(params, x.data(), m, ws);
    const Totals chunk = accumulate(ws.probabilities.data(), images.labels.data() + first, m, classes);
    totals.loss += chunk.loss;
    totals.correct += chunk.correct;
  }
  return {totals.loss / images.count, double(totals.correct) / images.count};
}

}  // namespace mnistbench
