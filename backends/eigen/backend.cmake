# Only the per-ISA builds of eigen_ops.h get ISA flags: the rest of the
# backend, its dispatch included, is built with the project's baseline flags,
# so the binary runs on any CPU of its kind and picks a build at run time.
mnistbench_isa_sources(AVX512 ${CMAKE_CURRENT_LIST_DIR}/eigen_avx512.cpp
                       AVX2 ${CMAKE_CURRENT_LIST_DIR}/eigen_avx2.cpp)
# GCC's AVX-512 headers (12, Debian 12's) make an "undefined" register by
# initialising a variable from itself (_mm512_undefined_ps: __m512 __Y = __Y),
# which warns at every use once inlined, hundreds of times through Eigen's
# AVX-512 packets; the value is never read. Clang does not warn.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/eigen_avx512.cpp TARGET_DIRECTORY ${backend_target}
               APPEND PROPERTY COMPILE_OPTIONS -Wno-uninitialized -Wno-maybe-uninitialized)
endif()
