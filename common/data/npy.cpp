#include "common/data/npy.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "common/platform/errors.h"
#include "common/data/input_file.h"
#include "common/data/npy_header.h"

namespace mnistbench {

static_assert(std::endian::native == std::endian::little, "the .npy files are written as '<f4' and '<i8'");

namespace {

constexpr char kMagic[] = "\x93NUMPY";

std::string join_shape(const std::vector<int>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

std::size_t element_count(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= std::size_t(d);
  return n;
}

// descr is NumPy's name of the element type: '<f4' float32, '<i8' int64.
void write_npy(const std::filesystem::path& path, const char* descr, const void* values,
               std::size_t element_size, const std::vector<int>& shape) {
  std::string header = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " +
                       join_shape(shape) + ", }";
  // The header, with magic, version and length, is padded to a multiple of 64 bytes and ends in '\n'.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';

  std::ofstream out(path, std::ios::binary);
  if (!out) throw DataError(path.string() + ": cannot open for writing");
  const std::uint16_t header_length = std::uint16_t(header.size());
  out.write(kMagic, 6);
  out.put(1).put(0);
  out.write(reinterpret_cast<const char*>(&header_length), 2);
  out << header;
  out.write(static_cast<const char*>(values), std::streamsize(element_count(shape) * element_size));
  if (!out) throw DataError(path.string() + ": write failed");
}

}  // namespace

void save_npy(const std::filesystem::path& path, const float* values, const std::vector<int>& shape) {
  write_npy(path, "<f4", values, sizeof(float), shape);
}

void save_npy(const std::filesystem::path& path, const std::int64_t* values, const std::vector<int>& shape) {
  write_npy(path, "<i8", values, sizeof(std::int64_t), shape);
}

void load_npy(const std::filesystem::path& path, float* values, const std::vector<int>& shape) {
  InputFile file(path);
  const std::string& name = file.name();
  // Magic, major and minor version, then the header length: 2 bytes in
  // version 1, 4 in versions 2 and 3 (3 only allows UTF-8 in the header).
  unsigned char prefix[12] = {};
  const std::size_t got = file.read(prefix, 10);
  if (got < 8 || std::memcmp(prefix, kMagic, 6) != 0) file.fail("not a .npy file (bad magic)");
  const unsigned version = prefix[6];
  if (version < 1 || version > 3) file.fail("unsupported .npy version " + std::to_string(version));
  std::size_t prefix_length = 10;
  std::uint64_t header_length = prefix[8] | unsigned(prefix[9]) << 8;
  if (version > 1) {
    prefix_length = 12;
    if (got < 10 || file.read(prefix + 10, 2) < 2) file.fail("truncated .npy header");
    header_length |= std::uint64_t(prefix[10]) << 16 | std::uint64_t(prefix[11]) << 24;
  }
  if (got < 10) file.fail("truncated .npy header");
  if (header_length > kMaxNpyHeader) {
    file.fail(fmt::format("header is {} bytes; at most {} are read", header_length, kMaxNpyHeader));
  }
  if (file.size() < prefix_length + header_length) file.fail("truncated .npy header");
  std::string text(header_length, '\0');
  if (file.read(text.data(), text.size()) < text.size()) file.fail("truncated .npy header");

  const NpyHeader header = parse_npy_header(text, name);
  if (header.descr != "<f4") {
    file.fail(fmt::format("dtype must be float32 ('<f4'), found '{}'", excerpt(header.descr)));
  }
  if (header.fortran_order) file.fail("array must be in C order (fortran_order False)");
  const std::vector<std::uint64_t> wanted(shape.begin(), shape.end());
  if (header.shape != wanted) {
    file.fail(fmt::format("shape {}, expected {}", shape_text(header.shape), shape_text(wanted)));
  }

  // The size settles truncation and trailing bytes before anything is read.
  const std::uint64_t bytes = element_count(shape) * sizeof(float);
  const std::uint64_t data_bytes = file.size() - prefix_length - header_length;
  if (data_bytes < bytes) {
    file.fail(fmt::format("truncated: {} of {} data bytes", data_bytes, bytes));
  }
  if (data_bytes > bytes) file.fail("trailing bytes after the array");
  const std::size_t read = file.read(values, bytes);
  if (read < bytes) file.fail(fmt::format("truncated: {} of {} data bytes", read, bytes));

  // A NaN or infinite weight would only show up later as a diverged run.
  const std::size_t count = element_count(shape);
  for (std::size_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) {
      file.fail(fmt::format("value at flat index {} is {}", i, values[i]));
    }
  }
}

}  // namespace mnistbench
