# Debian's OpenBLASConfig.cmake sets only OpenBLAS_INCLUDE_DIRS and
# OpenBLAS_LIBRARIES, no target, so make the one the backend line names. It
# points at libopenblas itself: plain -lblas would follow Debian's
# alternatives and may be the reference BLAS, without openblas_* functions.
# GLOBAL because the registry library links it from the top directory.
if(NOT TARGET OpenBLAS::OpenBLAS)
  add_library(OpenBLAS::OpenBLAS INTERFACE IMPORTED GLOBAL)
  set_target_properties(OpenBLAS::OpenBLAS PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${OpenBLAS_INCLUDE_DIRS}"
    INTERFACE_LINK_LIBRARIES "${OpenBLAS_LIBRARIES}")
endif()
