#pragma once
// NumPy .npy files (format version 1.0, little-endian float32 or int64, C
// order), so NumPy and PyTorch users can load the weights: np.load("W1.npy").

#include <cstdint>
#include <filesystem>
#include <vector>

#include "common/parameters.h"

namespace mnistbench {

void save_npy(const std::filesystem::path& path, const float* values, const std::vector<int>& shape);
void save_npy(const std::filesystem::path& path, const std::int64_t* values, const std::vector<int>& shape);

// Throws DataError naming the file for anything but a float32 C-order array of exactly this shape.
void load_npy(const std::filesystem::path& path, float* values, const std::vector<int>& shape);

// W1.npy (H, 784), b1.npy (H, 1), W2.npy (10, H), b2.npy (10, 1): the tutorial's shapes.
void save_parameters(const std::filesystem::path& folder, const Parameters& params);
void load_parameters(const std::filesystem::path& folder, Parameters& params);

}  // namespace mnistbench
