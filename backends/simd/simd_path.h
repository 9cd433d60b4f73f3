#pragma once
// The simd backend's instruction-set paths, which of them this CPU can run,
// and which one MNISTBENCH_SIMD picks. Header-only and free of intrinsics, so
// tests and tools can enumerate the paths (and force each) without linking
// the backend (they link mnistbench_common, which holds the CPU detector).

#include <string>
#include <string_view>
#include <vector>

#include "backends/simd/kernels.h"
#include "common/platform/cpu_features.h"
#include "common/platform/errors.h"

namespace mnistbench::simd {

// The environment variable that forces a path by its key; unset (or empty),
// the backend takes the best path the CPU supports.
inline constexpr const char* kSimdPathVariable = "MNISTBENCH_SIMD";

enum class SimdPath { avx512, avx2, scalar };

// Best first: the order in which the backend tries them.
inline constexpr SimdPath kSimdPaths[] = {SimdPath::avx512, SimdPath::avx2, SimdPath::scalar};

// The value MNISTBENCH_SIMD takes to force the path.
inline std::string_view simd_path_key(SimdPath path) {
  switch (path) {
    case SimdPath::avx512: return "avx512";
    case SimdPath::avx2: return "avx2";
    case SimdPath::scalar: break;
  }
  return "scalar";
}

// Each path's kernels are compiled with exactly these instruction sets
// (backends/simd/backend.cmake), so the CPU must have every one of them; the
// one detector (common/platform/cpu_features.h) includes the operating system's
// support for the wider registers. A compiler for another CPU builds no AVX
// path (kernels.h), so none is supported there, whatever the CPU.
inline bool cpu_supports(SimdPath path) {
  switch (path) {
    case SimdPath::avx512:
      return kAvxPathsBuilt && cpu_has(CpuFeature::avx512f) && cpu_has(CpuFeature::avx2) &&
             cpu_has(CpuFeature::fma);
    case SimdPath::avx2:
      return kAvxPathsBuilt && cpu_has(CpuFeature::avx2) && cpu_has(CpuFeature::fma);
    case SimdPath::scalar: break;
  }
  return true;
}

// The keys of the paths this CPU can run, best first; "scalar" is always last.
inline std::vector<std::string> supported_simd_paths(bool (*supported)(SimdPath) = cpu_supports) {
  std::vector<std::string> keys;
  for (SimdPath path : kSimdPaths)
    if (supported(path)) keys.emplace_back(simd_path_key(path));
  return keys;
}

inline std::string joined_keys(const std::vector<std::string>& keys) {
  std::string out;
  for (const std::string& key : keys) out += (out.empty() ? "" : ", ") + key;
  return out;
}

// The path for a value of MNISTBENCH_SIMD (null or empty: not set), on a CPU
// that runs the paths for which supported is true: the forced one, or else
// the best. An unknown value, or a path the CPU cannot run, is a UsageError
// whose one-line message starts with the variable and the value. The backend
// passes cpu_supports; tests pass a pretend CPU.
inline SimdPath choose_simd_path(const char* value,
                                 bool (*supported)(SimdPath) = cpu_supports) {
  if (value == nullptr || *value == '\0') {
    for (SimdPath path : kSimdPaths)
      if (supported(path)) return path;
    return SimdPath::scalar;
  }
  const std::string prefix = std::string(kSimdPathVariable) + "=" + value + ": ";
  const std::string here = "supported here: " + joined_keys(supported_simd_paths(supported));
  std::vector<std::string> all;
  for (SimdPath path : kSimdPaths) {
    all.emplace_back(simd_path_key(path));
    if (all.back() != value) continue;
    if (!supported(path)) throw UsageError(prefix + "this CPU cannot run that path (" + here + ")");
    return path;
  }
  throw UsageError(prefix + "unknown SIMD path (valid: " + joined_keys(all) + "; " + here + ")");
}

}  // namespace mnistbench::simd
