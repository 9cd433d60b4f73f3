// One process links three libraries that each define or call the BLAS
// names: OpenBLAS (the blas backend), BLIS (the blis backend, statically,
// whose archive also holds cblas_sgemm and sgemm_) and libxsmm (whose
// fallback calls sgemm_). The dynamic linker binds a name to the first
// definition it finds, so a change in link order could quietly hand the blas
// backend's cblas_sgemm to BLIS, and its results to the wrong library. These
// check, in the linked test program as in mnistbench, that both names still
// bind to OpenBLAS.

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "common/model/registry.h"

namespace mnistbench::test {
namespace {

// The file that defines the name the program's global look-up binds.
std::string defining_file(const char* symbol) {
  void* address = dlsym(RTLD_DEFAULT, symbol);
  if (address == nullptr) return "(not found)";
  Dl_info info{};
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "(unknown)";
  return info.dli_fname;
}

TEST(BlasSymbols, CblasSgemmAndSgemmAreOpenBlas) {
  const auto names = backend_names();
  if (std::find(names.begin(), names.end(), "blas") == names.end())
    GTEST_SKIP() << "the blas backend is not built";
  for (const char* symbol : {"cblas_sgemm", "sgemm_"})
    EXPECT_NE(defining_file(symbol).find("openblas"), std::string::npos)
        << symbol << " binds to " << defining_file(symbol) << ", not OpenBLAS";
}

}  // namespace
}  // namespace mnistbench::test
