// Writes the seed corpus: a few small valid files per harness, so that
// fuzzing starts past the magic numbers and headers instead of finding them
// byte by byte. Usage: make_seeds FOLDER (one subfolder per harness).

#include "common/data/npy.h"
#include "fuzz/idx_pair.h"
#include "fuzz/npy_shape.h"
#include "tests/support/data_files.h"

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace mnistbench;
namespace fs = std::filesystem;

namespace {

void write_idx_seeds(const fs::path& plain_folder, const fs::path& gzip_folder) {
  const auto images = test::idx_images(3);
  const auto labels = test::idx_labels({5, 0, 9});
  const auto pair = fuzz::join_idx_pair(images, labels);
  test::write_file(plain_folder / "plain", pair);
  test::write_file(plain_folder / "gzip",
                   fuzz::join_idx_pair(test::gzip_bytes(images), test::gzip_bytes(labels)));
  test::write_file(gzip_folder / "pair", pair);
  test::write_file(gzip_folder / "one-image",
                   fuzz::join_idx_pair(test::idx_images(1), test::idx_labels({7})));
}

void write_csv_seeds(const fs::path& folder) {
  const std::string rows = test::csv_row(5, 0) + "\n" + test::csv_row(0, 1) + "\n";
  test::write_file(folder / "lf", test::csv_header() + "\n" + rows);
  test::write_file(folder / "bom-crlf", "\xEF\xBB\xBF" + test::csv_header() + "\r\n" +
                                            test::csv_row(9, 2) + "\r\n");
}

// A version-2 header (4-byte length) around the same array, as NumPy writes
// when a header outgrows 65,535 bytes.
std::vector<std::uint8_t> as_version_2(std::vector<std::uint8_t> v1) {
  v1[6] = 2;
  v1.insert(v1.begin() + 10, {0, 0});
  return v1;
}

void write_npy_seeds(const fs::path& folder) {
  std::vector<float> values(fuzz::kNpyRows * fuzz::kNpyCols);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.25f * float(i) - 1.0f;
  save_npy(folder / "v1", values.data(), {fuzz::kNpyRows, fuzz::kNpyCols});
  test::write_file(folder / "v2", as_version_2(test::read_bytes(folder / "v1")));
}

// Argument lists, joined by NUL bytes as fuzz_cli splits them.
void write_cli_seeds(const fs::path& folder) {
  const std::vector<std::vector<std::string>> command_lines = {
      {"--layers", "784,32,16,10", "--threads", "2"},
      {"--hidden", "64", "--batch-size", "64", "--epochs", "3"},
      {"--alpha", "0.5", "--seed", "7", "--init", "he", "--dev-size", "0"},
      {"--json", "/tmp/run.json", "--save-weights", "/tmp/w", "--log-every", "5"},
  };
  for (std::size_t i = 0; i < command_lines.size(); ++i) {
    std::string joined;
    for (const std::string& argument : command_lines[i]) joined += (joined.empty() ? "" : std::string(1, '\0')) + argument;
    test::write_file(folder / ("args" + std::to_string(i)), joined);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  for (const char* harness : {"fuzz_idx", "fuzz_idx_gzip", "fuzz_csv", "fuzz_npy", "fuzz_cli"}) {
    fs::create_directories(out / harness);
  }
  write_idx_seeds(out / "fuzz_idx", out / "fuzz_idx_gzip");
  write_csv_seeds(out / "fuzz_csv");
  write_npy_seeds(out / "fuzz_npy");
  write_cli_seeds(out / "fuzz_cli");
  return 0;
}
