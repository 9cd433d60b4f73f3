// The IDX reader's gzip path: both files of the pair are gzip'd before the
// reader sees them, so every mutation changes the inflated content (counts,
// truncation, trailing bytes) instead of merely breaking the deflate stream.

#include "common/dataset.h"
#include "fuzz/idx_pair.h"
#include "fuzz/scratch_file.h"

#include <zlib.h>

#include <cstdlib>
#include <vector>

using namespace mnistbench;

namespace {

std::vector<std::uint8_t> gzip(std::span<const std::uint8_t> bytes) {
  z_stream stream{};
  // windowBits 9 + 16 asks for a gzip wrapper around the smallest window;
  // with level 1 and memLevel 1 deflate allocates kilobytes, not the 256 KiB
  // that would dominate each run. Any window inflates the same.
  if (deflateInit2(&stream, 1, Z_DEFLATED, 9 + 16, 1, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::vector<std::uint8_t> out(deflateBound(&stream, uLong(bytes.size())));
  stream.next_in = const_cast<Bytef*>(bytes.data());
  stream.avail_in = uInt(bytes.size());
  stream.next_out = out.data();
  stream.avail_out = uInt(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::ScratchFile images, labels;
  const auto [image_bytes, label_bytes] = fuzz::split_idx_pair(data, size);
  const auto gz_images = gzip(image_bytes);
  const auto gz_labels = gzip(label_bytes);
  images.write(gz_images.data(), gz_images.size());
  labels.write(gz_labels.data(), gz_labels.size());
  fuzz::expect_clean_refusal([&] { load_idx(images.path(), labels.path()); });
  return 0;
}
