"""Which BLAS this Python process really runs, read from /proc/self/maps
rather than from build-time configuration (numpy.show_config() reports what
NumPy was built against; Debian switches libblas.so.3 by alternatives), and
the thread count of OpenBLAS when it is the one."""

import ctypes


def loaded_blas_libraries():
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    return sorted(p for p in paths if "blas" in p.rsplit("/", 1)[-1] or "openblas" in p)


# The instruction set of OpenBLAS's single-precision kernels per core, as
# the blas backend reports it (backends/blas/blas_backend.cpp).
def kernel_isa(core):
    if core in ("Cooperlake", "SkylakeX"):
        return "AVX-512"
    if core in ("Haswell", "Zen"):
        return "AVX2 + FMA"
    if core == "Sandybridge":
        return "AVX"
    return f"OpenBLAS core {core}"


def describe_and_set_threads(threads):
    """{"libraries", "name", "core", "isa", "config"} of the loaded BLAS; sets
    OpenBLAS's thread count. Call after importing NumPy or PyTorch."""
    libraries = loaded_blas_libraries()
    openblas = [p for p in libraries if "libopenblas" in p]
    if not openblas:
        return {"libraries": libraries, "name": "reference BLAS" if libraries else "none found",
                "core": None, "isa": "scalar", "config": None}
    library = ctypes.CDLL(openblas[0])  # the copy already loaded: dlopen shares it
    library.openblas_get_corename.restype = ctypes.c_char_p
    library.openblas_get_config.restype = ctypes.c_char_p
    library.openblas_set_num_threads(ctypes.c_int(threads))
    config = library.openblas_get_config().decode()
    core = library.openblas_get_corename().decode()
    return {"libraries": libraries, "name": " ".join(config.split()[:2]), "core": core,
            "isa": kernel_isa(core), "config": config}
