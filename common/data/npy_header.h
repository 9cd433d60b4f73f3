#pragma once
// The header of a .npy file: a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (10, 784), }
// read by a small hand-written parser: one pass, no recursion, no regex, so
// a hostile header costs time and memory in proportion to its length only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mnistbench {

// The longest header read. NumPy itself refuses longer ones by default
// (np.load's max_header_size), and its own headers are under 200 bytes.
constexpr std::size_t kMaxNpyHeader = 10000;

struct NpyHeader {
  std::string descr;                 // the element type, e.g. '<f4' for little-endian float32
  bool fortran_order = false;        // column-major when true
  std::vector<std::uint64_t> shape;  // () for a scalar
};

// Throws DataError "NAME: header: WHAT" for anything but exactly the three
// keys NumPy writes, each once, with values of the right kind.
NpyHeader parse_npy_header(std::string_view text, const std::string& name);

// At most 20 characters of a file's text, anything unprintable shown as '?',
// so that a message quoting it stays one short line.
std::string excerpt(std::string_view text);

// "(10,784)", "(10,)" or "()": the shape as messages show it.
std::string shape_text(const std::vector<std::uint64_t>& shape);

}  // namespace mnistbench
