// The .npy reader (header parser, size checks, NaN check) on arbitrary
// bytes, asked for a small float32 array as --init-from asks for b2.npy.

#include "common/data/npy.h"
#include "fuzz/npy_shape.h"
#include "fuzz/scratch_file.h"

using namespace mnistbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::ScratchFile npy;
  npy.write(data, size);
  float values[fuzz::kNpyRows * fuzz::kNpyCols];
  fuzz::expect_clean_refusal(
      [&] { load_npy(npy.path(), values, {fuzz::kNpyRows, fuzz::kNpyCols}); });
  return 0;
}
