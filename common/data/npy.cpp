#include "common/data/npy.h"

#include <bit>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>

#include "common/platform/errors.h"

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
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(name + ": cannot open (no such file?)");
  char magic[6] = {};
  unsigned char version[2] = {};
  in.read(magic, 6);
  in.read(reinterpret_cast<char*>(version), 2);
  if (!in || std::memcmp(magic, kMagic, 6) != 0) throw DataError(name + ": not a .npy file (bad magic)");
  std::uint32_t header_length = 0;
  if (version[0] == 1) {
    std::uint16_t length16 = 0;
    in.read(reinterpret_cast<char*>(&length16), 2);
    header_length = length16;
  } else if (version[0] == 2 || version[0] == 3) {
    in.read(reinterpret_cast<char*>(&header_length), 4);
  } else {
    throw DataError(name + ": unsupported .npy version " + std::to_string(version[0]));
  }
  std::string header(header_length, '\0');
  in.read(header.data(), header_length);
  if (!in) throw DataError(name + ": truncated .npy header");

  std::smatch match;
  if (!std::regex_search(header, match, std::regex(R"('descr':\s*'([^']*)')")) || match[1] != "<f4")
    throw DataError(name + ": dtype must be float32 ('<f4'), found " +
                    (match.empty() ? std::string("none") : match[1].str()));
  if (!std::regex_search(header, std::regex(R"('fortran_order':\s*False)")))
    throw DataError(name + ": array must be in C order (fortran_order False)");
  if (!std::regex_search(header, match, std::regex(R"('shape':\s*(\([^)]*\)))")))
    throw DataError(name + ": header has no shape");
  std::string found = match[1];
  found = std::regex_replace(found, std::regex(R"(\s)"), "");
  std::string wanted = std::regex_replace(join_shape(shape), std::regex(R"(\s)"), "");
  if (found != wanted) throw DataError(name + ": shape " + found + ", expected " + wanted);

  const std::size_t bytes = element_count(shape) * sizeof(float);
  in.read(reinterpret_cast<char*>(values), std::streamsize(bytes));
  if (std::size_t(in.gcount()) != bytes)
    throw DataError(name + ": truncated: " + std::to_string(in.gcount()) + " of " +
                    std::to_string(bytes) + " data bytes");
  if (in.peek() != std::char_traits<char>::eof()) throw DataError(name + ": trailing bytes after the array");
}

}  // namespace mnistbench
