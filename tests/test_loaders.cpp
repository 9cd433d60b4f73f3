// The IDX and CSV loaders and the --dataset/--data selection: good files load
// byte for byte, and every kind of bad file is refused with a one-line
// DataError that names the file and what is wrong with it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "common/data/dataset.h"
#include "common/platform/errors.h"
#include "tests/support/data_files.h"
#include "tests/support/refusals.h"

namespace mnistbench {
namespace {

namespace fs = std::filesystem;
using test::csv_header;
using test::csv_row;
using test::fails_with;
using test::idx_images;
using test::idx_labels;
using test::image_pixels;
using test::read_bytes;
using test::TempFolder;
using test::write_file;
using test::write_gzip;

const std::vector<std::uint8_t> kLabels = {5, 0, 9};

void expect_test_images(const Dataset& data) {
  EXPECT_EQ(data.count, 3);
  EXPECT_EQ(data.rows, 28);
  EXPECT_EQ(data.cols, 28);
  EXPECT_EQ(data.pixels, image_pixels(3));
  EXPECT_EQ(data.labels, kLabels);
}

// ---- IDX -----------------------------------------------------------------

class IdxLoader : public ::testing::Test {
 protected:
  // Writes good files, then lets each test break one of them.
  void SetUp() override {
    write_file(images, idx_images(3));
    write_file(labels, idx_labels(kLabels));
  }
  Dataset load() const { return load_idx(images, labels); }

  // The file with its last `count` bytes dropped.
  static std::vector<std::uint8_t> cut(std::vector<std::uint8_t> bytes, std::size_t count) {
    bytes.erase(bytes.end() - std::ptrdiff_t(count), bytes.end());
    return bytes;
  }

  TempFolder folder;
  fs::path images = folder / "images-idx3-ubyte";
  fs::path labels = folder / "labels-idx1-ubyte";
};

TEST_F(IdxLoader, LoadsPlainFiles) { expect_test_images(load()); }

TEST_F(IdxLoader, LoadsGzipFilesRecognisedByContent) {
  // The image file keeps a plain name: gzip is detected from the bytes.
  write_gzip(images, idx_images(3));
  labels = folder / "labels-idx1-ubyte.gz";
  write_gzip(labels, idx_labels(kLabels));
  expect_test_images(load());
}

TEST_F(IdxLoader, MissingFile) {
  images = folder / "absent";
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "no such file"}));
}

TEST_F(IdxLoader, FolderInsteadOfFile) {
  fs::create_directory(images = folder / "a-folder");
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "not a regular file (a folder)"}));
}

TEST_F(IdxLoader, BadMagicInImages) {
  write_file(images, idx_labels(kLabels));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {images.string() + ": ", "magic", "expected 0x00000803", "found 0x00000801"}));
}

TEST_F(IdxLoader, BadMagicInLabels) {
  write_file(labels, idx_images(3));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {labels.string() + ": ", "magic", "expected 0x00000801", "found 0x00000803"}));
}

TEST_F(IdxLoader, EmptyFileIsTruncated) {
  write_file(images, std::string_view());
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "truncated", "found 0 bytes"}));
}

TEST_F(IdxLoader, TruncatedHeader) {
  write_file(labels, cut(idx_labels(kLabels), 5));  // 6 of the 8 header bytes
  EXPECT_TRUE(fails_with([&] { load(); },
                         {labels.string() + ": ", "truncated", "8-byte header", "found 6 bytes"}));
}

TEST_F(IdxLoader, TruncatedImages) {
  write_file(images, cut(idx_images(3), 5));
  const std::size_t full = 16 + 3 * 784;
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "truncated",
                                           "expected " + std::to_string(full) + " bytes",
                                           "found " + std::to_string(full - 5)}));
}

TEST_F(IdxLoader, TruncatedLabels) {
  write_file(labels, cut(idx_labels(kLabels), 1));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {labels.string() + ": ", "truncated", "expected 11 bytes", "found 10"}));
}

TEST_F(IdxLoader, HugeCountInSmallFileIsTruncationNotACrash) {
  auto bytes = idx_labels(kLabels);
  bytes[4] = bytes[5] = bytes[6] = bytes[7] = 0xff;  // 4,294,967,295 labels claimed
  write_file(labels, bytes);
  auto header = idx_images(3);
  header[4] = header[5] = header[6] = header[7] = 0xff;
  write_file(images, header);
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "truncated"}));
}

TEST_F(IdxLoader, TrailingBytesAfterImages) {
  auto bytes = idx_images(3);
  bytes.insert(bytes.end(), {1, 2, 3});
  write_file(images, bytes);
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "3 trailing bytes"}));
}

TEST_F(IdxLoader, TrailingBytesAfterLabels) {
  auto bytes = idx_labels(kLabels);
  bytes.push_back(0);
  write_file(labels, bytes);
  EXPECT_TRUE(fails_with([&] { load(); }, {labels.string() + ": ", "1 trailing bytes"}));
}

TEST_F(IdxLoader, ImagesNot28x28) {
  write_file(images, idx_images(3, 32, 30));
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "32x30", "expected 28x28"}));
}

TEST_F(IdxLoader, CountsDiffer) {
  write_file(labels, idx_labels({1, 2}));
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "3 images",
                                           labels.string() + " has 2 labels"}));
}

TEST_F(IdxLoader, LabelOutOfRange) {
  write_file(labels, idx_labels({1, 2, 10}));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {labels.string() + ": ", "label at index 2 is 10", "0-9"}));
}

TEST_F(IdxLoader, CorruptGzipStream) {
  write_gzip(images, idx_images(3));
  auto bytes = read_bytes(images);
  // Past the 10-byte gzip header and before the 8-byte trailer: the deflate data.
  for (std::size_t i = 12; i < bytes.size() - 8; ++i) bytes[i] ^= 0x5a;
  write_file(images, bytes);
  EXPECT_TRUE(fails_with([&] { load(); }, {images.string() + ": ", "corrupt gzip stream"}));
}

TEST_F(IdxLoader, GzipStreamCutShort) {
  write_gzip(labels, idx_labels(std::vector<std::uint8_t>(5000, 3)));
  fs::resize_file(labels, fs::file_size(labels) / 2);
  EXPECT_TRUE(fails_with([&] { load(); }, {labels.string() + ": ", "corrupt gzip stream"}));
}

// ---- CSV -----------------------------------------------------------------

class CsvLoader : public ::testing::Test {
 protected:
  // Header, then rows for labels 5, 0, 9 (images 0, 1, 2), each ended by `newline`.
  static std::string good_csv(const std::string& newline = "\n") {
    std::string text = csv_header() + newline;
    for (int i = 0; i < 3; ++i) text += csv_row(kLabels[i], i) + newline;
    return text;
  }

  // good_csv() with the row on `line` (1-based; 2 is the first image) replaced.
  static std::string with_line(int line, const std::string& row) {
    std::string text = csv_header() + "\n";
    for (int i = 0; i < 3; ++i) text += (i + 2 == line ? row : csv_row(kLabels[i], i)) + "\n";
    return text;
  }

  Dataset load() const { return load_csv(csv); }

  TempFolder folder;
  fs::path csv = folder / "train.csv";
};

TEST_F(CsvLoader, LoadsRowsWithTrailingNewline) {
  write_file(csv, good_csv());
  expect_test_images(load());
}

TEST_F(CsvLoader, LoadsWithoutTrailingNewline) {
  std::string text = good_csv();
  text.pop_back();
  write_file(csv, text);
  expect_test_images(load());
}

TEST_F(CsvLoader, LoadsCrlfLineEndings) {
  write_file(csv, good_csv("\r\n"));
  expect_test_images(load());
}

TEST_F(CsvLoader, MissingFile) {
  csv = folder / "absent.csv";
  EXPECT_TRUE(fails_with([&] { load(); }, {csv.string() + ": ", "no such file"}));
}

TEST_F(CsvLoader, EmptyFile) {
  write_file(csv, std::string_view());
  EXPECT_TRUE(fails_with([&] { load(); }, {csv.string() + ": ", "empty file", "header"}));
}

TEST_F(CsvLoader, MissingHeader) {
  write_file(csv, csv_row(5, 0) + "\n");
  EXPECT_TRUE(fails_with([&] { load(); }, {csv.string() + ": ", "line 1", "missing header"}));
}

TEST_F(CsvLoader, HeaderWithWrongCellCount) {
  write_file(csv, csv_header() + ",extra\n" + csv_row(5, 0) + "\n");
  EXPECT_TRUE(fails_with([&] { load(); },
                         {csv.string() + ": ", "line 1", "header has 786 cells, expected 785"}));
}

TEST_F(CsvLoader, HeaderOnly) {
  write_file(csv, csv_header() + "\n");
  EXPECT_TRUE(fails_with([&] { load(); }, {csv.string() + ": ", "no images"}));
}

TEST_F(CsvLoader, RowWithTooFewCells) {
  std::string row = csv_row(0, 1);
  row.erase(row.rfind(','));
  write_file(csv, with_line(3, row));
  EXPECT_TRUE(fails_with([&] { load(); }, {csv.string() + ": ", "line 3", "784 cells, expected 785"}));
}

TEST_F(CsvLoader, RowWithTooManyCells) {
  write_file(csv, with_line(4, csv_row(9, 2) + ",0"));
  EXPECT_TRUE(fails_with([&] { load(); }, {csv.string() + ": ", "line 4", "786 cells, expected 785"}));
}

TEST_F(CsvLoader, BlankLineInTheMiddle) {
  write_file(csv, with_line(3, ""));
  EXPECT_TRUE(fails_with([&] { load(); }, {csv.string() + ": ", "line 3", "empty line"}));
}

TEST_F(CsvLoader, NonNumericCell) {
  std::string row = csv_row(5, 0);
  row.replace(row.find(',') + 1, 0, "x");  // pixel0 becomes e.g. "x0"
  write_file(csv, with_line(2, row));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {csv.string() + ": ", "line 2", "column pixel0", "not an integer"}));
}

TEST_F(CsvLoader, EmptyCell) {
  write_file(csv, with_line(3, "," + csv_row(0, 1).substr(2)));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {csv.string() + ": ", "line 3", "column label", "not an integer"}));
}

TEST_F(CsvLoader, LabelOutOfRange) {
  write_file(csv, with_line(4, "10" + csv_row(9, 2).substr(1)));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {csv.string() + ": ", "line 4", "column label", "10 is outside 0-9"}));
}

TEST_F(CsvLoader, PixelOutOfRange) {
  std::string row = "5";
  for (int i = 0; i < 784; ++i) row += i == 783 ? ",256" : ",0";
  write_file(csv, with_line(2, row));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {csv.string() + ": ", "line 2", "column pixel783", "256 is outside 0-255"}));
}

TEST_F(CsvLoader, NegativePixel) {
  std::string row = "5,-1";
  for (int i = 1; i < 784; ++i) row += ",0";
  write_file(csv, with_line(3, row));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {csv.string() + ": ", "line 3", "column pixel0", "-1 is outside 0-255"}));
}

TEST_F(CsvLoader, NumberTooLargeForAnInt) {
  write_file(csv, with_line(2, "99999999999" + csv_row(5, 0).substr(1)));
  EXPECT_TRUE(fails_with([&] { load(); },
                         {csv.string() + ": ", "line 2", "column label", "is outside 0-9"}));
}

// ---- load_data -----------------------------------------------------------

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { old_ ? (void)::setenv(name_, old_->c_str(), 1) : (void)::unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

DataSelection named(const std::string& dataset) {
  DataSelection selection;
  selection.dataset = dataset;
  return selection;
}

DataSelection at(const fs::path& path) {
  DataSelection selection;
  selection.path = path;
  return selection;
}

// The four IDX files of a folder, gzip'd as they are distributed.
void write_idx_folder(const TempFolder& folder) {
  write_gzip(folder / "train-images-idx3-ubyte.gz", idx_images(3));
  write_gzip(folder / "train-labels-idx1-ubyte.gz", idx_labels(kLabels));
  write_gzip(folder / "t10k-images-idx3-ubyte.gz", idx_images(2));
  write_file(folder / "t10k-labels-idx1-ubyte", idx_labels({7, 2}));  // plain and .gz may mix
}

TEST(LoadData, FolderOfGzipFiles) {
  TempFolder folder;
  write_idx_folder(folder);
  const DataSource source = load_data(at(folder.path()));
  EXPECT_EQ(source.description, "IDX (" + folder.path().string() + ")");
  expect_test_images(source.train);
  ASSERT_TRUE(source.test.has_value());
  EXPECT_EQ(source.test->count, 2);
  EXPECT_EQ(source.test->labels, (std::vector<std::uint8_t>{7, 2}));
}

TEST(LoadData, FolderMissingAFile) {
  TempFolder folder;
  write_idx_folder(folder);
  fs::remove(folder / "t10k-images-idx3-ubyte.gz");
  EXPECT_TRUE(fails_with([&] { load_data(at(folder.path())); },
                         {folder.path().string() + ": ", "missing t10k-images-idx3-ubyte"}));
}

TEST(LoadData, CsvFile) {
  TempFolder folder;
  const fs::path csv = folder / "train.csv";
  write_file(csv, csv_header() + "\n" + csv_row(5, 0) + "\n" + csv_row(0, 1) + "\n" +
                      csv_row(9, 2) + "\n");
  const DataSource source = load_data(at(csv));
  EXPECT_EQ(source.description, "CSV (" + csv.string() + ")");
  expect_test_images(source.train);
  EXPECT_FALSE(source.test.has_value());
}

TEST(LoadData, NonexistentPath) {
  TempFolder folder;
  const fs::path absent = folder / "nothing-here";
  EXPECT_TRUE(fails_with([&] { load_data(at(absent)); },
                         {absent.string() + ": no such file or folder"}));
}

TEST(LoadData, UnknownDataSet) {
  EXPECT_TRUE(fails_with<UsageError>([] { load_data(named("cifar")); },
                                     {"--dataset: unknown data set 'cifar' (valid: mnist, fashion)"}));
}

TEST(LoadData, DataDirEnvironmentVariable) {
  TempFolder folder;
  write_idx_folder(folder);
  ScopedEnv env("MNISTBENCH_DATA_DIR", folder.path().string());
  EXPECT_EQ(default_mnist_dir(), folder.path());
  const DataSource source = load_data(named("mnist"));
  EXPECT_EQ(source.description, "MNIST (" + folder.path().string() + ")");
  expect_test_images(source.train);
}

TEST(LoadData, MissingMnistSaysHowToFetchIt) {
  TempFolder folder;
  ScopedEnv env("MNISTBENCH_DATA_DIR", folder.path().string());
  EXPECT_TRUE(fails_with([] { load_data(named("mnist")); },
                         {folder.path().string() + ": ", "scripts/fetch_mnist.sh", "--data"}));
}

// ---- the real data sets --------------------------------------------------

TEST(RealData, FashionMnist) {
  const fs::path folder = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(folder)) GTEST_SKIP() << folder << " absent: apt-get install dataset-fashion-mnist";
  const DataSource source = load_data(named("fashion"));
  EXPECT_EQ(source.description, "Fashion-MNIST (" + folder.string() + ")");
  EXPECT_EQ(source.train.count, 60000);
  ASSERT_TRUE(source.test.has_value());
  EXPECT_EQ(source.test->count, 10000);
}

TEST(RealData, Mnist) {
  const fs::path folder = default_mnist_dir();
  ASSERT_TRUE(fs::exists(folder / "train-images-idx3-ubyte") ||
              fs::exists(folder / "train-images-idx3-ubyte.gz"))
      << "MNIST is not in " << folder << ": run scripts/fetch_mnist.sh";
  const DataSource source = load_data(named("mnist"));
  EXPECT_EQ(source.train.count, 60000);
  EXPECT_EQ(source.train.labels.at(0), 5);  // the well-known first training image
  ASSERT_TRUE(source.test.has_value());
  EXPECT_EQ(source.test->count, 10000);
  EXPECT_EQ(source.test->labels.at(0), 7);
}

}  // namespace
}  // namespace mnistbench
