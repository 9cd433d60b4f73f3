#pragma once
// The real MNIST for tests that train: loaded once per test program from
// data/mnist (scripts/fetch_mnist.sh puts it there; the README's test
// command runs that first). A missing data set fails the test with that hint.

#include "common/data/training_data.h"

namespace mnistbench::test {

// The first train_count training images (no dev split) and the official test set.
const TrainingData& real_mnist(int train_count);

}  // namespace mnistbench::test
