# Only the per-ISA builds of tbb_loops.h get ISA flags: the rest of the
# backend, its dispatch included, is built with the project's baseline flags,
# so the binary runs on any CPU of its kind and picks a build at run time.
mnistbench_isa_sources(AVX512 ${CMAKE_CURRENT_LIST_DIR}/tbb_loops_avx512.cpp
                       AVX2 ${CMAKE_CURRENT_LIST_DIR}/tbb_loops_avx2.cpp)
