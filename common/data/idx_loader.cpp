// LeCun's IDX files, read through zlib so that plain and gzip'd files need no
// separate code path (gzread passes plain content through unchanged).
// Nothing is read past what the headers promise: a plain file's size must
// match its header before any data is read, and a gzip stream, whose size is
// unknown until it is inflated, is read in growing chunks that stop at the
// promised size, so memory follows the data that really arrives.

#include "common/data/data_limits.h"
#include "common/data/dataset.h"
#include "common/platform/errors.h"
#include "common/data/input_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string_view>

#include <unistd.h>

namespace mnistbench {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr std::uint32_t kLabelsMagic = 0x00000801;  // unsigned bytes, 1 dimension
constexpr int kSide = 28;                           // the network's input is 784 pixels
constexpr std::size_t kImagesHeader = 16;
constexpr std::size_t kLabelsHeader = 8;

// gzip reads start at 4 KiB and double up to 16 MiB (one gzread takes an
// unsigned int), so a header that lies about its count costs little memory.
constexpr std::size_t kFirstChunk = std::size_t(4) << 10;
constexpr std::size_t kLargestChunk = std::size_t(16) << 20;
constexpr std::uint64_t kMinBuffer = std::uint64_t(8) << 10;
constexpr std::uint64_t kMaxBuffer = std::uint64_t(1) << 20;
// Trailing bytes are counted up to this many, not to the end of a stream
// that may inflate to gigabytes.
constexpr std::size_t kTrailingCounted = std::size_t(64) << 10;

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};

std::string truncated(std::size_t expected, std::uint64_t found) {
  return fmt::format("truncated: expected {} bytes, found {}", expected, found);
}

std::string trailing(std::uint64_t extra, std::size_t expected) {
  return fmt::format("{} trailing bytes after the {} bytes of data", extra, expected);
}

// One open IDX file. Every failure becomes a DataError that starts with the path.
class IdxFile {
 public:
  explicit IdxFile(const std::filesystem::path& path) : input_(path) {
    const int fd = input_.release();
    zlib_name_ = fmt::format("<fd:{}>", fd);
    file_.reset(gzdopen(fd, "rb"));
    if (!file_) {
      ::close(fd);  // gzdopen keeps the descriptor only when it succeeds
      fail("cannot open (out of memory)");
    }
    // zlib's 8 KiB default makes a 10 MB gzip file slow to read; a buffer no
    // larger than the file saves allocating megabytes for a small one.
    gzbuffer(file_.get(), unsigned(std::clamp<std::uint64_t>(input_.size(), kMinBuffer, kMaxBuffer)));
  }

  [[noreturn]] void fail(const std::string& complaint) const { input_.fail(complaint); }

  // True once the header is read from a file that is not gzip'd.
  bool is_plain() const { return gzdirect(file_.get()) == 1; }

  // A plain file's size is known before reading: a header that promises more
  // or less than the file holds is refused here. Call after the header is read.
  void check_plain_size(std::size_t expected) const {
    if (!is_plain()) return;
    if (input_.size() < expected) fail(truncated(expected, input_.size()));
    if (input_.size() > expected) fail(trailing(input_.size() - expected, expected));
  }

  // Reads up to `size` bytes into `out` (appending) and returns how many came.
  // Fewer means the content ended; a damaged stream or read error throws.
  std::size_t read(std::vector<std::uint8_t>& out, std::size_t size) {
    const std::size_t start = out.size();
    std::size_t chunk = kFirstChunk;
    while (out.size() - start < size) {
      const std::size_t want = std::min(size - (out.size() - start), chunk);
      const std::size_t before = out.size();
      out.resize(before + want);
      const int got = gzread(file_.get(), out.data() + before, unsigned(want));
      if (got < 0) throw_stream_error();
      out.resize(before + std::size_t(got));
      if (std::size_t(got) < want) break;
      chunk = std::min(chunk * 2, kLargestChunk);
    }
    // zlib reports a gzip stream that stops mid-way only through gzerror.
    check_stream();
    return out.size() - start;
  }

  // How many bytes are left in the file, up to kTrailingCounted + 1.
  std::size_t count_rest() {
    std::vector<std::uint8_t> scratch;
    return read(scratch, kTrailingCounted + 1);
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

  // zlib's message starts with its own name for the file ("<fd:3>: invalid ...");
  // ours already starts with the path.
  [[noreturn]] void throw_stream_error(int code, const char* message) {
    std::string_view reason = message;
    if (reason.starts_with(zlib_name_) && reason.substr(zlib_name_.size()).starts_with(": ")) {
      reason.remove_prefix(zlib_name_.size() + 2);
    }
    fail(fmt::format("{} ({})", code == Z_ERRNO ? "cannot read" : "corrupt gzip stream", reason));
  }

  InputFile input_;
  std::string zlib_name_;
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
  // A plain file's size was checked against its header, so the exact size is
  // known; a gzip stream's buffer grows only as data arrives.
  if (file.is_plain()) payload.reserve(size);
  const std::size_t got = file.read(payload, size);
  if (got < size) file.fail(truncated(header_bytes + size, header_bytes + got));
  const std::size_t rest = file.count_rest();
  if (rest > kTrailingCounted) {
    file.fail(fmt::format("more than {} trailing bytes after the {} bytes of data",
                          kTrailingCounted, header_bytes + size));
  }
  if (rest > 0) file.fail(trailing(rest, header_bytes + size));
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
  const std::size_t image_bytes = count * kSide * kSide;
  // A plain file's size settles whether its count is true before the cap is applied.
  image_file.check_plain_size(kImagesHeader + image_bytes);
  label_file.check_plain_size(kLabelsHeader + count);
  if (count > kMaxImages) {
    image_file.fail(fmt::format("header claims {} images; at most {} are read", count,
                                kMaxImages));
  }
  data.pixels = read_payload(image_file, kImagesHeader, image_bytes);
  data.labels = read_payload(label_file, kLabelsHeader, count);
  data.count = int(count);  // fits: at most kMaxImages
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
