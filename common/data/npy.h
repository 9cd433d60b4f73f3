#pragma once
// NumPy .npy files (format version 1.0, little-endian float32 or int64, C
// order), so NumPy and PyTorch users can load the weights: np.load("W1.npy").

#include <cstdint>
#include <filesystem>
#include <vector>

namespace mnistbench {

void save_npy(const std::filesystem::path& path, const float* values, const std::vector<int>& shape);
void save_npy(const std::filesystem::path& path, const std::int64_t* values, const std::vector<int>& shape);

// Throws DataError naming the file for anything but a float32 C-order array of exactly this shape.
void load_npy(const std::filesystem::path& path, float* values, const std::vector<int>& shape);

}  // namespace mnistbench
