// The IDX reader on an image file and a label file taken as they are: plain
// content, or gzip streams the fuzzer has to mutate byte by byte.

#include "common/data/dataset.h"
#include "fuzz/idx_pair.h"
#include "fuzz/scratch_file.h"

using namespace mnistbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::ScratchFile images, labels;
  const auto [image_bytes, label_bytes] = fuzz::split_idx_pair(data, size);
  images.write(image_bytes.data(), image_bytes.size());
  labels.write(label_bytes.data(), label_bytes.size());
  fuzz::expect_clean_refusal([&] { load_idx(images.path(), labels.path()); });
  return 0;
}
