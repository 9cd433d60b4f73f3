#pragma once
// The largest data set a loader accepts. A header's count cannot be checked
// against a compressed file's size, so without a cap a 5 MB gzip file of
// zeros could make the loader hold gigabytes before it finds out.

#include <cstddef>

namespace mnistbench {

// 28x28 digit sets run from 60,000 training images (MNIST, Fashion-MNIST) to
// 240,000 (EMNIST Digits); a million, four times the largest, is 784 MB of
// pixels: as much as this program can be asked to train on in memory.
constexpr std::size_t kMaxImages = 1'000'000;

}  // namespace mnistbench
