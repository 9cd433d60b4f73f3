#pragma once
// Loss and accuracy from a forward pass's probabilities. Plain loops in
// common code, not backend ops: they are outside the timed step and every
// backend must be judged by the same arithmetic.

#include <cstdint>
#include <span>

#include "common/model/backend.h"
#include "common/data/training_data.h"

namespace mnistbench {

struct Evaluation {
  double loss = 0.0;      // mean cross-entropy
  double accuracy = 0.0;  // fraction correct, 0-1
};

// Over the samples of probabilities (m, classes), with m labels. Sums in
// double so the figure does not depend on how a backend ordered its float sums.
Evaluation evaluate_probabilities(std::span<const float> probabilities, const std::uint8_t* labels,
                                  int classes);

// Runs the backend's forward pass over all images in chunks of
// ws.max_batch(), scaling each chunk's pixels as training does.
Evaluation evaluate(Backend& backend, const Parameters& params, const Dataset& images,
                    Workspace& ws);

}  // namespace mnistbench
