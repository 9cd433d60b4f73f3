# blis.h only for the backend's own file: the pthread flavour's directory
# also holds a cblas.h, which must not shadow OpenBLAS's for anyone else.
target_include_directories(${backend_target} SYSTEM PRIVATE ${BlisPthread_INCLUDE_DIR})
