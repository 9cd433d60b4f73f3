// LeCun's IDX files, read through zlib so that plain and gzip'd files need no
// separate code path (gzread passes plain content through unchanged).
// A file is read straight into the Dataset's buffers in large chunks; nothing
// is handed back until both files have been checked completely.

#include "common/data/dataset.h"
#include "common/platform/errors.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

namespace mnistbench {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr std::uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension
constexpr int kSide = 28;                           // the network's input is 784 pixels

// One gzread call takes an unsigned int, so reads go in 16 MiB chunks.
constexpr std::size_t kChunk = std::size_t(16) << 20;
// Reserving is free until pages are touched, so the whole of any real data set
// (47 MB for MNIST) is reserved at once; a corrupt count beyond this cap grows
// the buffer only as data actually arrives instead of asking for gigabytes.
constexpr std::size_t kReserveCap = std::size_t(256) << 20;

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};

// One open IDX file. Every failure becomes a DataError that starts with the path.
class IdxFile {
 public:
  explicit IdxFile(const std::filesystem::path& path) : path_(path.string()) {
    errno = 0;
    file_.reset(gzopen(path_.c_str(), "rb"));
    if (!file_) {
      if (errno == ENOENT) fail("no such file");
      fail(fmt::format("cannot open ({})", errno ? std::strerror(errno) : "out of memory"));
    }
    gzbuffer(file_.get(), 1 << 20);  // zlib's 8 KiB default makes gzip input slow
  }

  [[noreturn]] void fail(const std::string& complaint) const {
    throw DataError(fmt::format("{}: {}", path_, complaint));
  }

  // Reads up to `size` bytes into `out` (appending) and returns how many came.
  // Fewer means the content ended; a damaged stream or read error throws.
  std::size_t read(std::vector<std::uint8_t>& out, std::size_t size) {
    const std::size_t start = out.size();
    out.reserve(start + std::min(size, kReserveCap));
    while (out.size() - start < size) {
      const std::size_t want = std::min(size - (out.size() - start), kChunk);
      const std::size_t before = out.size();
      out.resize(before + want);
      const int got = gzread(file_.get(), out.data() + before, unsigned(want));
      if (got < 0) throw_stream_error();
      out.resize(before + std::size_t(got));
      if (std::size_t(got) < want) break;
    }
    // zlib reports a gzip stream that stops mid-way only through gzerror.
    check_stream();
    return out.size() - start;
  }

  // How many bytes are left in the file (to report trailing garbage).
  std::size_t count_rest() {
    std::array<std::uint8_t, 1 << 16> scratch;
    std::size_t total = 0;
    for (;;) {
      const int got = gzread(file_.get(), scratch.data(), unsigned(scratch.size()));
      if (got < 0) throw_stream_error();
      if (got == 0) break;
      total += std::size_t(got);
    }
    check_stream();
    return total;
  }

 private:
  void check_stream() {
    int code = Z_OK;
    const char* message = gzerror(file_.get(), &code);
    if (code != Z_OK) throw_stream_error(code, message);
  }

  [[noreturn]] void throw_stream_error() {
    int code = Z_OK;
    const char* message = gzerror(file_.get(), &code);
    throw_stream_error(code, message);
  }

  // zlib's message repeats the path ("PATH: invalid ..."); ours already starts with it.
  [[noreturn]] void throw_stream_error(int code, const char* message) {
    std::string_view reason = message;
    if (reason.starts_with(path_) && reason.substr(path_.size()).starts_with(": ")) {
      reason.remove_prefix(path_.size() + 2);
    }
    fail(fmt::format("{} ({})", code == Z_ERRNO ? "cannot read" : "corrupt gzip stream", reason));
  }

  std::string path_;
  std::unique_ptr<gzFile_s, GzCloser> file_;
};

std::uint32_t big_endian_u32(const std::uint8_t* bytes) {
  return std::uint32_t(bytes[0]) << 24 | std::uint32_t(bytes[1]) << 16 |
         std::uint32_t(bytes[2]) << 8 | std::uint32_t(bytes[3]);
}

// Reads the header (magic then `dims` sizes) and checks the magic number.
std::vector<std::uint32_t> read_header(IdxFile& file, std::uint32_t magic, int dims,
                                       const char* kind) {
  const std::size_t header_bytes = 4 * std::size_t(1 + dims);
  std::vector<std::uint8_t> header;
  const std::size_t got = file.read(header, header_bytes);
  if (got >= 4 && big_endian_u32(header.data()) != magic) {
    file.fail(fmt::format("bad magic number: expected {:#010x} (IDX {}), found {:#010x}", magic,
                          kind, big_endian_u32(header.data())));
  }
  if (got < header_bytes) {
    file.fail(fmt::format("truncated: expected a {}-byte header, found {} bytes", header_bytes,
                          got));
  }
  std::vector<std::uint32_t> sizes(dims);
  for (int d = 0; d < dims; ++d) sizes[d] = big_endian_u32(header.data() + 4 * (d + 1));
  return sizes;
}

// Reads exactly `size` payload bytes after a header of `header_bytes`, then
// insists that the file ends there.
std::vector<std::uint8_t> read_payload(IdxFile& file, std::size_t header_bytes, std::size_t size) {
  std::vector<std::uint8_t> payload;
  const std::size_t got = file.read(payload, size);
  if (got < size) {
    file.fail(fmt::format("truncated: expected {} bytes, found {}", header_bytes + size,
                          header_bytes + got));
  }
  const std::size_t rest = file.count_rest();
  if (rest > 0) {
    file.fail(fmt::format("{} trailing bytes after the {} bytes of data", rest,
                          header_bytes + size));
  }
  return payload;
}

}  // namespace

Dataset load_idx(const std::filesystem::path& images, const std::filesystem::path& labels) {
  Dataset data;

  IdxFile image_file(images);
  const auto image_sizes = read_header(image_file, kImagesMagic, 3, "images");
  if (image_sizes[1] != kSide || image_sizes[2] != kSide) {
    image_file.fail(fmt::format("images are {}x{}, expected {}x{}", image_sizes[1],
                                image_sizes[2], kSide, kSide));
  }
  // Checked before the pixels are read so a mismatch is reported without
  // reading 47 MB; the labels header is only 8 bytes.
  IdxFile label_file(labels);
  const auto label_sizes = read_header(label_file, kLabelsMagic, 1, "labels");
  if (image_sizes[0] != label_sizes[0]) {
    throw DataError(fmt::format("{}: {} images, but {} has {} labels", images.string(),
                                image_sizes[0], labels.string(), label_sizes[0]));
  }

  const std::size_t count = image_sizes[0];
  data.pixels = read_payload(image_file, 16, count * kSide * kSide);
  data.labels = read_payload(label_file, 8, count);
  data.count = int(count);  // fits: the pixels of more than INT_MAX images could not be read
  data.rows = kSide;
  data.cols = kSide;

  const auto bad = std::find_if(data.labels.begin(), data.labels.end(),
                                [](std::uint8_t label) { return label > 9; });
  if (bad != data.labels.end()) {
    label_file.fail(fmt::format("label at index {} is {}, expected 0-9",
                                bad - data.labels.begin(), int(*bad)));
  }
  return data;
}

}  // namespace mnistbench
