// The Kaggle CSV reader on arbitrary text.

#include "common/data/dataset.h"
#include "fuzz/scratch_file.h"

using namespace mnistbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::ScratchFile csv;
  csv.write(data, size);
  fuzz::expect_clean_refusal([&] { load_csv(csv.path()); });
  return 0;
}
