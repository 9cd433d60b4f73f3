// The baseline build, with the project's own flags (SSE2 on x86-64): for a
// CPU with neither AVX2+FMA nor AVX-512, and the one path on other CPUs.

#include "backends/tbb/tbb_loops.h"

namespace mnistbench::tbb_loops {

#if defined(__x86_64__) || defined(_M_X64)
const Loops kBaselineLoops = make_loops("SSE2 (compiler-vectorised loops, baseline x86-64)");
#else
const Loops kBaselineLoops = make_loops("compiler-vectorised loops, baseline");
#endif

}  // namespace mnistbench::tbb_loops
