// Turns the CLI's --dataset / --data into loaded data, and says how to get a
// data set that is not there yet rather than only that a file is missing.

#include "common/data/dataset.h"
#include "common/platform/errors.h"
#include "common/data/input_file.h"

#include <fmt/format.h>

#include <array>
#include <cstdlib>

namespace mnistbench {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFashionDir = "/usr/share/datasets/fashion-mnist";

// The four files of an IDX folder: train images, train labels, test images, test labels.
constexpr std::array<const char*, 4> kIdxNames = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

// Each file may be stored plain or gzip'd; `hint` says how to get missing files.
// Whatever is found is taken: load_idx refuses it if it is not a regular file.
std::array<fs::path, 4> find_idx_files(const fs::path& folder, const std::string& hint) {
  std::array<fs::path, 4> found;
  for (std::size_t i = 0; i < kIdxNames.size(); ++i) {
    const fs::path plain = folder / kIdxNames[i];
    fs::path gzipped = plain;
    gzipped += ".gz";
    if (file_type_of(plain) != fs::file_type::not_found) {
      found[i] = plain;
    } else if (file_type_of(gzipped) != fs::file_type::not_found) {
      found[i] = gzipped;
    } else {
      throw DataError(fmt::format("{}: missing {} (or {}.gz){}", folder.string(), kIdxNames[i],
                                  kIdxNames[i], hint));
    }
  }
  return found;
}

DataSource load_idx_folder(const fs::path& folder, const std::string& name,
                           const std::string& hint) {
  const auto files = find_idx_files(folder, hint);
  DataSource source;
  source.description = fmt::format("{} ({})", name, folder.string());
  source.train = load_idx(files[0], files[1]);
  source.test = load_idx(files[2], files[3]);
  return source;
}

DataSource load_path(const fs::path& path) {
  const fs::file_type type = file_type_of(path);
  if (type == fs::file_type::not_found) {
    throw DataError(fmt::format("{}: no such file or folder", path.string()));
  }
  if (type == fs::file_type::directory) return load_idx_folder(path, "IDX", "");
  if (type != fs::file_type::regular) {
    throw DataError(fmt::format("{}: not a regular file or folder", path.string()));
  }
  DataSource source;
  source.description = fmt::format("CSV ({})", path.string());
  source.train = load_csv(path);
  return source;
}

}  // namespace

fs::path default_mnist_dir() {
  if (const char* dir = std::getenv("MNISTBENCH_DATA_DIR")) return dir;
  return fs::path(MNISTBENCH_SOURCE_DIR) / "data" / "mnist";
}

DataSource load_data(const DataSelection& selection) {
  if (!selection.path.empty()) return load_path(selection.path);
  if (selection.dataset == "mnist") {
    return load_idx_folder(default_mnist_dir(), "MNIST",
                           "; run scripts/fetch_mnist.sh or pass --data");
  }
  if (selection.dataset == "fashion") {
    return load_idx_folder(kFashionDir, "Fashion-MNIST",
                           "; install it with apt-get install dataset-fashion-mnist");
  }
  throw UsageError(fmt::format("--dataset: unknown data set '{}' (valid: mnist, fashion)",
                               selection.dataset));
}

}  // namespace mnistbench
