#pragma once
// The machine probe's low-precision loops: independent chains of the bf16
// and int8 dot-product instructions the precision ladder runs on
// (--precision; common/model/precision.h), for their peak throughput as the
// float32 FMA chains give float32's. Each carries a target attribute and
// runs only where the CPU has the instructions.

#include <cstdint>

namespace mnistbench {

struct LowPrecisionProbe {
  // Multiply-adds, counted as 2 operations each, per iteration of the loop.
  double operations_per_iteration;
  // The chains for iterations steps; a value that depends on all of them.
  float (*chains)(std::int64_t iterations);
};

// vdpbf16ps (AVX512_BF16), or null on a CPU without it.
const LowPrecisionProbe* bf16_probe();
// vpdpbusd (AVX512_VNNI), or null on a CPU without it.
const LowPrecisionProbe* int8_probe();

}  // namespace mnistbench
