#pragma once
// The parameters as NumPy files, one per tensor, with the tutorial's shapes,
// so NumPy and PyTorch users can load them: W{l}.npy (fan_out, fan_in) and
// b{l}.npy (fan_out, 1) for each layer l, float32. The tutorial's network
// gives W1.npy b1.npy W2.npy b2.npy.

#include <filesystem>

#include "common/model/parameters.h"

namespace mnistbench {

void save_parameters(const std::filesystem::path& folder, const Parameters& params);

// Throws DataError naming the file, the shape found and the shape expected
// when a file disagrees with params' layer list (or the folder holds a layer
// beyond it).
void load_parameters(const std::filesystem::path& folder, Parameters& params);

}  // namespace mnistbench
