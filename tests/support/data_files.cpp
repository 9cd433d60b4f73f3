#include "tests/support/data_files.h"

#include <zlib.h>

#include <atomic>
#include <fstream>
#include <stdexcept>

#include <unistd.h>

namespace mnistbench::test {
namespace {

void append_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::uint8_t(value >> shift));
}

}  // namespace

TempFolder::TempFolder() {
  // Process id plus a counter: test programs may run in parallel under ctest.
  static std::atomic<int> counter = 0;
  path_ = std::filesystem::temp_directory_path() /
          ("mnistbench-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempFolder::~TempFolder() {
  std::error_code ignored;  // a destructor must not throw; a leftover temp folder is harmless
  std::filesystem::remove_all(path_, ignored);
}

std::uint8_t test_pixel(int image, int index) { return std::uint8_t(image * 37 + index * 11); }

std::vector<std::uint8_t> image_pixels(int count, int rows, int cols) {
  std::vector<std::uint8_t> pixels;
  for (int image = 0; image < count; ++image) {
    for (int index = 0; index < rows * cols; ++index) pixels.push_back(test_pixel(image, index));
  }
  return pixels;
}

std::vector<std::uint8_t> idx_images(int count, int rows, int cols) {
  std::vector<std::uint8_t> bytes;
  append_u32(bytes, 0x00000803);
  append_u32(bytes, std::uint32_t(count));
  append_u32(bytes, std::uint32_t(rows));
  append_u32(bytes, std::uint32_t(cols));
  const auto pixels = image_pixels(count, rows, cols);
  bytes.insert(bytes.end(), pixels.begin(), pixels.end());
  return bytes;
}

std::vector<std::uint8_t> idx_labels(const std::vector<std::uint8_t>& labels) {
  std::vector<std::uint8_t> bytes;
  append_u32(bytes, 0x00000801);
  append_u32(bytes, std::uint32_t(labels.size()));
  bytes.insert(bytes.end(), labels.begin(), labels.end());
  return bytes;
}

void write_file(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  write_file(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), std::streamsize(text.size()));
  if (!out) throw std::runtime_error("cannot write test file " + path.string());
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::vector<std::uint8_t> bytes(std::filesystem::file_size(path));
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size()));
  if (!in) throw std::runtime_error("cannot read test file " + path.string());
  return bytes;
}

std::vector<std::uint8_t> gzip_bytes(const std::vector<std::uint8_t>& bytes) {
  z_stream stream{};
  // windowBits 9 + 16 asks for a gzip wrapper around the smallest window; with
  // memLevel 1 deflate needs kilobytes of state, so the fuzz harness can gzip
  // every input. Any reader inflates the result like any other gzip file.
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 9 + 16, 1, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::vector<std::uint8_t> out(deflateBound(&stream, uLong(bytes.size())));
  stream.next_in = const_cast<Bytef*>(bytes.data());
  stream.avail_in = uInt(bytes.size());
  stream.next_out = out.data();
  stream.avail_out = uInt(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

void write_gzip(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  write_file(path, gzip_bytes(bytes));
}

void write_gzip_with_zeros(const std::filesystem::path& path,
                           const std::vector<std::uint8_t>& prefix, std::uint64_t zeros) {
  constexpr std::uint64_t kMember = std::uint64_t(8) << 20;
  const auto first = gzip_bytes(prefix);
  const auto member = gzip_bytes(std::vector<std::uint8_t>(kMember, 0));
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(first.data()), std::streamsize(first.size()));
  for (std::uint64_t written = 0; written < zeros; written += kMember) {
    const auto& part = zeros - written >= kMember
                           ? member
                           : gzip_bytes(std::vector<std::uint8_t>(zeros - written, 0));
    out.write(reinterpret_cast<const char*>(part.data()), std::streamsize(part.size()));
  }
  if (!out) throw std::runtime_error("cannot write test file " + path.string());
}

std::string csv_header() {
  std::string header = "label";
  for (int i = 0; i < 784; ++i) {
    header += ",pixel";
    header += std::to_string(i);
  }
  return header;
}

std::string csv_row(int label, int image) {
  std::string row = std::to_string(label);
  for (int i = 0; i < 784; ++i) {
    row += ',';
    row += std::to_string(test_pixel(image, i));
  }
  return row;
}

}  // namespace mnistbench::test
