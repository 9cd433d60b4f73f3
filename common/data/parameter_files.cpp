#include "common/data/parameter_files.h"

#include <fmt/core.h>

#include <string>

#include "common/platform/errors.h"
#include "common/data/npy.h"

namespace mnistbench {

namespace {

std::filesystem::path weights_file(const std::filesystem::path& folder, int l) {
  return folder / fmt::format("W{}.npy", l);
}

std::filesystem::path bias_file(const std::filesystem::path& folder, int l) {
  return folder / fmt::format("b{}.npy", l);
}

}  // namespace

void save_parameters(const std::filesystem::path& folder, const Parameters& params) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw DataError(folder.string() + ": cannot create folder: " + error.message());
  const NetworkShape& s = params.shape();
  for (int l = 1; l <= s.layers(); ++l) {
    save_npy(weights_file(folder, l), params.weights(l), {s.fan_out(l), s.fan_in(l)});
    save_npy(bias_file(folder, l), params.bias(l), {s.fan_out(l), 1});
  }
}

void load_parameters(const std::filesystem::path& folder, Parameters& params) {
  const NetworkShape& s = params.shape();
  for (int l = 1; l <= s.layers(); ++l) {
    load_npy(weights_file(folder, l), params.weights(l), {s.fan_out(l), s.fan_in(l)});
    load_npy(bias_file(folder, l), params.bias(l), {s.fan_out(l), 1});
  }
  // Weights for a layer the network does not have mean the files were saved
  // from another network: loading its first layers alone would hide that.
  const std::filesystem::path extra = weights_file(folder, s.layers() + 1);
  std::error_code error;
  if (std::filesystem::exists(extra, error))
    throw DataError(extra.string() + ": a layer beyond --layers " + s.to_string() + " (" +
                    std::to_string(s.layers()) + " layers): the files are from another network");
}

}  // namespace mnistbench
