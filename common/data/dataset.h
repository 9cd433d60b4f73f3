#pragma once
// Labelled images as the files hold them: raw bytes, one image per row.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mnistbench {

struct Dataset {
  int count = 0;
  int rows = 28;
  int cols = 28;
  std::vector<std::uint8_t> pixels;  // (count, rows * cols), row-major, 0-255
  std::vector<std::uint8_t> labels;  // (count), each 0-9

  int image_size() const { return rows * cols; }
};

// An IDX image file and its IDX label file (LeCun's format), plain or gzip'd
// (recognised by content, not by name). Throws DataError naming the file for
// a missing file or one that is not a regular file, bad magic number,
// truncation, trailing bytes, a label outside 0-9, an image size other than
// 28x28, counts that differ, or more than kMaxImages (data_limits.h) images.
Dataset load_idx(const std::filesystem::path& images, const std::filesystem::path& labels);

// The Kaggle digit-recognizer CSV: header "label,pixel0,...,pixel783", one
// image per row, LF or CRLF, with or without a UTF-8 byte-order mark. Throws
// DataError naming the file and line for a row with the wrong number of
// cells or a cell that is not an integer in range. An empty line is such a
// row, refused with its number rather than skipped: inside the data it may
// mark a lost row. One final newline ends the last row and is not a line.
Dataset load_csv(const std::filesystem::path& csv);

// Where the data comes from: the CLI's --dataset and --data.
struct DataSelection {
  std::string dataset = "mnist";     // "mnist" or "fashion"; ignored when path is set
  std::filesystem::path path;        // a folder of the four IDX files, or a CSV file
};

struct DataSource {
  std::string description;           // e.g. "MNIST (data/mnist)"
  Dataset train;
  std::optional<Dataset> test;       // the official test set; a CSV has none
};

// The folder of the default data set: $MNISTBENCH_DATA_DIR if set, else data/mnist/ in the source tree.
std::filesystem::path default_mnist_dir();

// Loads the selection. A folder must hold train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte,
// each plain or with .gz. Missing MNIST says how to fetch it.
DataSource load_data(const DataSelection& selection);

}  // namespace mnistbench
