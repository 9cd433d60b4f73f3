// The IDX reader's gzip path: both files of the pair are gzip'd before the
// reader sees them, so every mutation changes the inflated content (counts,
// truncation, trailing bytes) instead of merely breaking the deflate stream.

#include "common/data/dataset.h"
#include "fuzz/idx_pair.h"
#include "fuzz/scratch_file.h"
#include "tests/support/data_files.h"

using namespace mnistbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::ScratchFile images, labels;
  const auto [image_bytes, label_bytes] = fuzz::split_idx_pair(data, size);
  const auto gz_images = test::gzip_bytes({image_bytes.begin(), image_bytes.end()});
  const auto gz_labels = test::gzip_bytes({label_bytes.begin(), label_bytes.end()});
  images.write(gz_images.data(), gz_images.size());
  labels.write(gz_labels.data(), gz_labels.size());
  fuzz::expect_clean_refusal([&] { load_idx(images.path(), labels.path()); });
  return 0;
}
