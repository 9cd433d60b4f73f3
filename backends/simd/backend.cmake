# Only the per-ISA kernel files get ISA flags: the rest of the backend, its
# dispatch included, is built with the project's baseline flags, so the binary
# runs on any CPU of its kind and picks a path at run time. Each list must
# match the CPU check for its path in simd_path.h. GCC and Clang spell these
# flags alike; a compiler for another CPU gets none, and the two files then
# compile to nothing (kernels.h), leaving the scalar path.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|x64)$")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/kernels_avx512.cpp
    TARGET_DIRECTORY ${backend_target}
    PROPERTIES COMPILE_OPTIONS "-mavx512f;-mavx2;-mfma")
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/kernels_avx2.cpp
    TARGET_DIRECTORY ${backend_target}
    PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma")
endif()
