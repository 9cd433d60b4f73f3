#pragma once
// Sets MNISTBENCH_SIMD, the instruction-set path of every backend built per
// instruction set (simd, eigen, tbb), for one scope and restores what was
// there before. Backends read it when they are made.

#include <cstdlib>
#include <optional>
#include <string>

#include "backends/simd/simd_path.h"

namespace mnistbench::test {

class ForcedPath {
 public:
  explicit ForcedPath(const std::string& value) {
    if (const char* old = std::getenv(simd::kSimdPathVariable)) old_ = old;
    setenv(simd::kSimdPathVariable, value.c_str(), 1);
  }
  ~ForcedPath() {
    if (old_) setenv(simd::kSimdPathVariable, old_->c_str(), 1);
    else unsetenv(simd::kSimdPathVariable);
  }
  ForcedPath(const ForcedPath&) = delete;
  ForcedPath& operator=(const ForcedPath&) = delete;

 private:
  std::optional<std::string> old_;
};

}  // namespace mnistbench::test
