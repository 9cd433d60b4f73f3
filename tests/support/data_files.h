#pragma once
// Small data files written on the fly, so loader tests need no checked-in
// fixtures and can break any byte they like.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mnistbench::test {

// A fresh empty folder under the system temp folder, removed with everything in it.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The pixel that image_pixels() puts at (image, index): distinct enough that
// a shifted or reordered read shows.
std::uint8_t test_pixel(int image, int index);

// count images of rows x cols test_pixel() values, without header.
std::vector<std::uint8_t> image_pixels(int count, int rows = 28, int cols = 28);

// A whole IDX image file (magic 0x00000803, count, rows, cols, pixels).
std::vector<std::uint8_t> idx_images(int count, int rows = 28, int cols = 28);

// A whole IDX label file (magic 0x00000801, count, labels).
std::vector<std::uint8_t> idx_labels(const std::vector<std::uint8_t>& labels);

void write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);
void write_file(const std::filesystem::path& path, std::string_view text);

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path);

// One gzip member holding `bytes`, as the IDX files are distributed.
std::vector<std::uint8_t> gzip_bytes(const std::vector<std::uint8_t>& bytes);

void write_gzip(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes);

// A gzip file whose content is `prefix` and then `zeros` zero bytes, written
// compactly: gzip readers join concatenated members, so one member of 8 MiB of
// zeros (8 KiB compressed), repeated, makes gigabytes of content from a file
// of megabytes without compressing gigabytes.
void write_gzip_with_zeros(const std::filesystem::path& path,
                           const std::vector<std::uint8_t>& prefix, std::uint64_t zeros);

// The Kaggle train.csv header "label,pixel0,...,pixel783" (no newline).
std::string csv_header();

// One CSV row: the label, then the 784 test_pixel() values of `image` (no newline).
std::string csv_row(int label, int image);

}  // namespace mnistbench::test
