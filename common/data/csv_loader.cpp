// The Kaggle digit-recognizer CSV (train.csv). The whole file is read into
// memory once and every cell is parsed in place with std::from_chars: 42,000
// rows of 785 cells would take seconds through per-cell streams.

#include "common/data/data_limits.h"
#include "common/data/dataset.h"
#include "common/platform/errors.h"
#include "common/data/input_file.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <string_view>

namespace mnistbench {
namespace {

constexpr int kSide = 28;
constexpr std::size_t kCells = 1 + kSide * kSide;  // the label, then 784 pixels
constexpr const char* kHeaderShape = "label,pixel0,...,pixel783";

// The longest file read: kMaxImages rows of 785 cells of at most "255,".
constexpr std::uint64_t kMaxBytes = kMaxImages * kCells * 4;
// The shortest possible row, "0,0,...,0" and its newline: 2 bytes a cell.
constexpr std::size_t kShortestRow = 2 * kCells;

// Spreadsheet programs start a UTF-8 CSV with a byte-order mark.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string read_file(const std::filesystem::path& path) {
  InputFile file(path);
  if (file.size() > kMaxBytes) {
    file.fail(fmt::format("{} bytes; at most {} are read", file.size(), kMaxBytes));
  }
  std::string text(file.size(), '\0');
  // A file that grows while it is read is read as it was when opened.
  text.resize(file.read(text.data(), text.size()));
  return text;
}

// Walks the lines of the file, numbering them from 1 and dropping a CR before
// each LF so that files written on Windows parse the same.
class Lines {
 public:
  explicit Lines(std::string_view text) : rest_(text) {}

  // False at the end. A final newline does not start another (empty) line.
  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    const auto end = rest_.find('\n');
    line = rest_.substr(0, end);
    rest_ = end == std::string_view::npos ? std::string_view() : rest_.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number_;
    return true;
  }

  std::size_t number() const { return number_; }

 private:
  std::string_view rest_;
  std::size_t number_ = 0;
};

std::size_t count_cells(std::string_view line) {
  std::size_t cells = 1;
  for (char c : line) cells += c == ',';
  return cells;
}

// The column names come from the header so that messages use the file's own words.
std::vector<std::string> parse_header(const std::filesystem::path& path, Lines& lines) {
  std::string_view line;
  if (!lines.next(line)) {
    throw DataError(fmt::format("{}: empty file, expected a header line \"{}\"", path.string(),
                                kHeaderShape));
  }
  const std::string_view first = line.substr(0, line.find(','));
  if (first != "label") {
    throw DataError(fmt::format("{}: line 1: missing header: expected \"{}\", first cell is \"{}\"",
                                path.string(), kHeaderShape, first.substr(0, 20)));
  }
  // Counted before the names are stored: a header of millions of commas
  // would otherwise become millions of strings.
  if (const std::size_t cells = count_cells(line); cells != kCells) {
    throw DataError(fmt::format("{}: line 1: header has {} cells, expected {} (\"{}\")",
                                path.string(), cells, kCells, kHeaderShape));
  }
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    const auto comma = line.find(',', start);
    names.emplace_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return names;
}

}  // namespace

Dataset load_csv(const std::filesystem::path& path) {
  const std::string text = read_file(path);
  std::string_view content = text;
  if (content.starts_with(kUtf8Bom)) content.remove_prefix(kUtf8Bom.size());
  Lines lines(content);
  const std::vector<std::string> names = parse_header(path, lines);

  Dataset data;
  data.rows = kSide;
  data.cols = kSide;
  // Reserving avoids regrowing 33 MB. It is sized by the most rows the file
  // could hold, not by its newlines: empty lines would ask for gigabytes.
  const std::size_t rows = content.size() / kShortestRow + 1;
  data.labels.reserve(rows);
  data.pixels.reserve(rows * (kCells - 1));
  std::string_view line;
  while (lines.next(line)) {
    const auto fail = [&](const std::string& complaint) {
      throw DataError(fmt::format("{}: line {}: {}", path.string(), lines.number(), complaint));
    };
    if (std::size_t(data.count) == kMaxImages) {
      fail(fmt::format("more than {} images, the most that are read", kMaxImages));
    }
    // An empty line is refused like any short row, but said plainly: a
    // blank line inside the data may mean a row was lost.
    if (line.empty()) fail(fmt::format("empty line, expected {} cells", kCells));
    // Counted first so a short row is reported as such, not as a bad last cell.
    if (const std::size_t cells = count_cells(line); cells != kCells) {
      fail(fmt::format("{} cells, expected {}", cells, kCells));
    }
    const char* cursor = line.data();
    const char* const end = line.data() + line.size();
    for (std::size_t column = 0; column < kCells; ++column) {
      const char* cell_end = static_cast<const char*>(std::memchr(cursor, ',', end - cursor));
      if (!cell_end) cell_end = end;
      const int max = column == 0 ? 9 : 255;
      int value = 0;
      const auto [stop, error] = std::from_chars(cursor, cell_end, value);
      const std::string_view cell(cursor, cell_end - cursor);
      if (error == std::errc::invalid_argument || stop != cell_end) {
        fail(fmt::format("column {}: \"{}\" is not an integer", names[column], cell.substr(0, 20)));
      }
      if (error == std::errc::result_out_of_range || value < 0 || value > max) {
        fail(fmt::format("column {}: {} is outside 0-{}", names[column], cell.substr(0, 20), max));
      }
      (column == 0 ? data.labels : data.pixels).push_back(std::uint8_t(value));
      if (cell_end != end) cursor = cell_end + 1;
    }
    ++data.count;
  }
  if (data.count == 0) {
    throw DataError(fmt::format("{}: no images after the header", path.string()));
  }
  return data;
}

}  // namespace mnistbench
