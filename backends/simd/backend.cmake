# Only the per-ISA kernel files get ISA flags: the rest of the backend, its
# dispatch included, is built with the project's baseline flags, so the binary
# runs on any CPU of its kind and picks a path at run time. On another CPU
# the two files compile to nothing (kernels.h), leaving the scalar path.
mnistbench_isa_sources(AVX512 ${CMAKE_CURRENT_LIST_DIR}/kernels_avx512.cpp
                       AVX2 ${CMAKE_CURRENT_LIST_DIR}/kernels_avx2.cpp
                       AVX512_LOW_PRECISION ${CMAKE_CURRENT_LIST_DIR}/low_precision_avx512.cpp)
