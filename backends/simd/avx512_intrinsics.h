#pragma once
// <immintrin.h> for the files built with AVX-512 flags. GCC 12's AVX-512
// intrinsics fill unused lanes from a self-initialised "undefined" vector,
// which it then reports as uninitialised once inlined (GCC bug 105593):
// silence that for the intrinsics only. Clang has neither the bug nor
// -Wmaybe-uninitialized.

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#else
#include <immintrin.h>
#endif
