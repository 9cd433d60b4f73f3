# Only the per-ISA kernel files get ISA flags: the rest of the backend, its
# dispatch included, is built for baseline x86-64 like the whole project, so
# the binary runs anywhere and picks a path at run time. Each list must match
# the CPU check for its path in simd_path.h.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/kernels_avx512.cpp
  TARGET_DIRECTORY ${backend_target}
  PROPERTIES COMPILE_OPTIONS "-mavx512f;-mavx2;-mfma")
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/kernels_avx2.cpp
  TARGET_DIRECTORY ${backend_target}
  PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma")
