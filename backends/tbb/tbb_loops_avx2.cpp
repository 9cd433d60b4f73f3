// The AVX2+FMA build: compiled with -mavx2 -mfma (backend.cmake) and chosen
// only on a CPU that has both; a compiler for another CPU compiles this file
// to nothing.

#if defined(__x86_64__) || defined(_M_X64)

#include "backends/tbb/tbb_loops.h"

namespace mnistbench::tbb_loops {

const Loops kAvx2Loops = make_loops("AVX2+FMA (compiler-vectorised loops)");

}  // namespace mnistbench::tbb_loops

#endif
