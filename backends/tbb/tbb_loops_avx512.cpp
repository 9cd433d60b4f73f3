// The AVX-512 build: compiled with -mavx512f -mavx2 -mfma (backend.cmake) and
// chosen only on a CPU that has all three; a compiler for another CPU
// compiles this file to nothing.

#if defined(__x86_64__) || defined(_M_X64)

#include "backends/tbb/tbb_loops.h"

namespace mnistbench::tbb_loops {

const Loops kAvx512Loops = make_loops("AVX-512 (compiler-vectorised loops)");

}  // namespace mnistbench::tbb_loops

#endif
