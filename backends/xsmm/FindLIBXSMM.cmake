# libxsmm, as Debian ships it (libxsmm-dev 1.17): static libraries in /usr/lib
# and a pkg-config file, no CMake config. Its own needs, from libxsmm.pc:
# pthreads, librt, libdl and libm, and a BLAS: libxsmm_init pulls in its
# libxsmm_gemm, which hands products above its size threshold to sgemm_ and
# dgemm_. The backend never calls it (it dispatches kernels for its own
# tiles), but the link needs the symbols: OpenBLAS's, the library the blas backend
# links too (libxsmmnoblas.a would define dummies in the program itself, in
# front of every library's sgemm_).
#
# Defines LIBXSMM_FOUND, LIBXSMM_VERSION and the imported target LIBXSMM::LIBXSMM.

find_path(LIBXSMM_INCLUDE_DIR libxsmm.h)
find_library(LIBXSMM_LIBRARY NAMES libxsmm.a xsmm)
if(LIBXSMM_INCLUDE_DIR AND EXISTS ${LIBXSMM_INCLUDE_DIR}/libxsmm_version.h)
  file(STRINGS ${LIBXSMM_INCLUDE_DIR}/libxsmm_version.h version_line
       REGEX "#define LIBXSMM_CONFIG_VERSION \"")
  string(REGEX REPLACE ".*\"(.*)\".*" "\\1" LIBXSMM_VERSION "${version_line}")
endif()

find_package(OpenBLAS QUIET)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LIBXSMM
                                  REQUIRED_VARS LIBXSMM_LIBRARY LIBXSMM_INCLUDE_DIR OpenBLAS_LIBRARIES
                                  VERSION_VAR LIBXSMM_VERSION)

if(LIBXSMM_FOUND AND NOT TARGET LIBXSMM::LIBXSMM)
  find_package(Threads REQUIRED)
  # GLOBAL because the registry library links it from the top directory.
  add_library(LIBXSMM::LIBXSMM STATIC IMPORTED GLOBAL)
  set_target_properties(LIBXSMM::LIBXSMM PROPERTIES
    IMPORTED_LOCATION "${LIBXSMM_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIBXSMM_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${OpenBLAS_LIBRARIES};Threads::Threads;rt;dl;m")
endif()
