#pragma once
// Sets one of the simd backend's environment variables for one scope and
// restores what was there before: MNISTBENCH_SIMD, the instruction-set path
// of every backend built per instruction set (simd, eigen, tbb), or
// MNISTBENCH_SIMD_TILES, simd's tile config. Backends read them when they
// are made.

#include <cstdlib>
#include <optional>
#include <string>

#include "backends/simd/simd_path.h"
#include "backends/simd/tile_choice.h"

namespace mnistbench::test {

class ForcedVariable {
 public:
  ForcedVariable(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name_)) old_ = old;
    setenv(name_, value.c_str(), 1);
  }
  ~ForcedVariable() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }
  ForcedVariable(const ForcedVariable&) = delete;
  ForcedVariable& operator=(const ForcedVariable&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class ForcedPath : public ForcedVariable {
 public:
  explicit ForcedPath(const std::string& value) : ForcedVariable(simd::kSimdPathVariable, value) {}
};

class ForcedTiles : public ForcedVariable {
 public:
  explicit ForcedTiles(const std::string& value)
      : ForcedVariable(simd::kSimdTilesVariable, value) {}
};

}  // namespace mnistbench::test
