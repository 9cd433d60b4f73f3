// The parameters as NumPy files (common/data/parameter_files.h): W{l}.npy and
// b{l}.npy per layer with the tutorial's shapes, a bit-identical round trip
// at any depth, and files from another network refused with a message that
// names the file, the shape found and the shape expected.

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/platform/errors.h"
#include "common/data/parameter_files.h"
#include "tests/support/data_files.h"

namespace mnistbench::test {
namespace {

namespace fs = std::filesystem;

bool bit_identical(const Parameters& a, const Parameters& b) {
  return a.all().size() == b.all().size() &&
         std::memcmp(a.all().data(), b.all().data(), a.all().size_bytes()) == 0;
}

// The .npy header as NumPy reads it: the first 128 bytes hold it at these sizes.
std::string header(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text(128, '\0');
  in.read(text.data(), 128);
  return text;
}

std::string npy_shape(int rows, int cols) {
  return "'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
         std::to_string(cols) + ")";
}

// The message of the DataError that loading folder into a network of shape throws.
std::string refusal(const fs::path& folder, const NetworkShape& shape) {
  Parameters params(shape);
  try {
    load_parameters(folder, params);
  } catch (const DataError& error) {
    return error.what();
  }
  return "(accepted)";
}

TEST(ParameterFiles, TutorialNetworkWritesW1b1W2b2) {
  TempFolder folder;
  Parameters saved(NetworkShape{}), loaded(NetworkShape{});
  initialise(saved, Initialisation::uniform, 7);
  save_parameters(folder.path(), saved);
  load_parameters(folder.path(), loaded);
  EXPECT_TRUE(bit_identical(saved, loaded));
  EXPECT_NE(header(folder / "W1.npy").find(npy_shape(10, 784)), std::string::npos);
  EXPECT_NE(header(folder / "b1.npy").find(npy_shape(10, 1)), std::string::npos);
  EXPECT_NE(header(folder / "W2.npy").find(npy_shape(10, 10)), std::string::npos);
  EXPECT_NE(header(folder / "b2.npy").find(npy_shape(10, 1)), std::string::npos);
  EXPECT_FALSE(fs::exists(folder / "W3.npy"));
  // The data follows a header padded to a multiple of 64 bytes (NumPy's v1 format).
  EXPECT_EQ(fs::file_size(folder / "W1.npy") % 64, (10 * 784 * 4) % 64);
}

TEST(ParameterFiles, TwoHiddenLayersRoundTripAsW1ToW3) {
  TempFolder folder;
  const NetworkShape shape{{784, 32, 16, 10}};
  Parameters saved(shape), loaded(shape);
  initialise(saved, Initialisation::he, 7);
  save_parameters(folder.path(), saved);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(folder.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 6);
  EXPECT_NE(header(folder / "W1.npy").find(npy_shape(32, 784)), std::string::npos);
  EXPECT_NE(header(folder / "b1.npy").find(npy_shape(32, 1)), std::string::npos);
  EXPECT_NE(header(folder / "W2.npy").find(npy_shape(16, 32)), std::string::npos);
  EXPECT_NE(header(folder / "b2.npy").find(npy_shape(16, 1)), std::string::npos);
  EXPECT_NE(header(folder / "W3.npy").find(npy_shape(10, 16)), std::string::npos);
  EXPECT_NE(header(folder / "b3.npy").find(npy_shape(10, 1)), std::string::npos);
  load_parameters(folder.path(), loaded);
  EXPECT_TRUE(bit_identical(saved, loaded));
}

TEST(ParameterFiles, AnotherNetworksFilesAreRefusedByFileAndShape) {
  TempFolder folder;
  save_parameters(folder.path(), Parameters(NetworkShape{{784, 32, 16, 10}}));

  // A different width: the first file that disagrees, what it holds, what was wanted.
  const std::string wider = refusal(folder.path(), NetworkShape{{784, 64, 16, 10}});
  EXPECT_NE(wider.find((folder / "W1.npy").string() + ": shape (32,784), expected (64,784)"),
            std::string::npos)
      << wider;
  const std::string narrower = refusal(folder.path(), NetworkShape{{784, 32, 8, 10}});
  EXPECT_NE(narrower.find((folder / "W2.npy").string() + ": shape (16,32), expected (8,32)"),
            std::string::npos)
      << narrower;
  // Fewer layers than the files: the extra layer is named, not silently ignored.
  const std::string shallower = refusal(folder.path(), NetworkShape{{784, 32, 10}});
  EXPECT_NE(shallower.find("W2.npy"), std::string::npos) << shallower;
  EXPECT_NE(shallower.find("expected (10,32)"), std::string::npos) << shallower;
  // More layers than the files: the missing file is named.
  const std::string deeper = refusal(folder.path(), NetworkShape{{784, 32, 16, 10, 10}});
  EXPECT_NE(deeper.find("W4.npy: no such file"), std::string::npos) << deeper;
}

TEST(ParameterFiles, ALayerBeyondTheNetworkIsRefused) {
  // Same widths for the first layers, one more layer in the files: loading
  // only the first two would hide that they come from another network.
  TempFolder folder;
  save_parameters(folder.path(), Parameters(NetworkShape{{784, 10, 10, 10}}));
  const std::string message = refusal(folder.path(), NetworkShape{{784, 10, 10}});
  EXPECT_NE(message.find((folder / "W3.npy").string()), std::string::npos) << message;
  EXPECT_NE(message.find("784,10,10"), std::string::npos) << message;
}

TEST(ParameterFiles, TruncationGarbageAndMissingFilesAreRefused) {
  TempFolder folder;
  const NetworkShape shape;
  save_parameters(folder.path(), Parameters(shape));
  fs::resize_file(folder / "b2.npy", fs::file_size(folder / "b2.npy") - 4);
  EXPECT_NE(refusal(folder.path(), shape).find("b2.npy: truncated"), std::string::npos);
  write_file(folder / "b2.npy", "not numpy");
  EXPECT_NE(refusal(folder.path(), shape).find("b2.npy: not a .npy file"), std::string::npos);
  EXPECT_NE(refusal(folder / "missing", shape).find("W1.npy: no such file"), std::string::npos);
}

}  // namespace
}  // namespace mnistbench::test
