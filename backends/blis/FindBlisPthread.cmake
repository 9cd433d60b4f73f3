# BLIS with its own pthreads, as Debian ships it (libblis-pthread-dev).
#
# Debian builds BLIS in three flavours (serial, OpenMP, pthread), each with
# its own blis.h (the configuration differs) and libraries under
# <prefix>/{include,lib}/<triplet>/blis-<flavour>/. The unsuffixed blis.h and
# libblis.so.4 follow Debian's alternatives and may be any flavour (here the
# OpenMP one wins on priority), and the shared libraries of all flavours share
# the soname libblis.so.4, so linking one would still load whichever the
# alternatives point at. So this module takes the pthread flavour's header and
# its static library: the flavour is fixed when the program is linked. (An
# OpenMP BLIS would also put a second OpenMP runtime next to oneDNN's.)
#
# The archive also holds BLIS's BLAS and CBLAS layers (sgemm_, cblas_sgemm,
# ... in its bla_*.o and cblas_*.o members), the names OpenBLAS defines for
# the blas backend. A linker that reaches this archive before OpenBLAS takes
# those members to answer the blas backend's calls (CMake put it first in the
# test programs), so the blas backend would quietly run BLIS. The blis backend
# calls BLIS's own API alone, so it links a copy of the archive without those
# members, made here at configure time (tests/test_blas_symbols.cpp checks).
#
# Defines BlisPthread_FOUND and the imported target BLIS::pthread.

find_path(BlisPthread_INCLUDE_DIR blis.h
          PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE}/blis-pthread NO_DEFAULT_PATH)
find_library(BlisPthread_LIBRARY NAMES libblis.a
             PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/blis-pthread NO_DEFAULT_PATH)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(BlisPthread REQUIRED_VARS BlisPthread_LIBRARY BlisPthread_INCLUDE_DIR)

if(BlisPthread_FOUND AND NOT TARGET BLIS::pthread)
  set(native ${CMAKE_BINARY_DIR}/blis-pthread/libblis-native.a)
  if(NOT EXISTS ${native} OR ${BlisPthread_LIBRARY} IS_NEWER_THAN ${native})
    file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/blis-pthread)
    file(COPY_FILE ${BlisPthread_LIBRARY} ${native})
    execute_process(COMMAND ${CMAKE_AR} t ${native} OUTPUT_VARIABLE members COMMAND_ERROR_IS_FATAL ANY)
    string(REGEX MATCHALL "(bla|cblas)_[^\n]*\\.o" compat "${members}")
    execute_process(COMMAND ${CMAKE_AR} d ${native} ${compat} COMMAND_ERROR_IS_FATAL ANY)
  endif()
  find_package(Threads REQUIRED)
  # GLOBAL because the registry library links it from the top directory.
  add_library(BLIS::pthread STATIC IMPORTED GLOBAL)
  set_target_properties(BLIS::pthread PROPERTIES
    IMPORTED_LOCATION "${native}"
    INTERFACE_LINK_LIBRARIES "Threads::Threads;m")
endif()
