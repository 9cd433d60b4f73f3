#include "common/platform/cpu_features.h"

#include <array>
#include <utility>

namespace mnistbench {

namespace {

constexpr std::array<std::pair<CpuFeature, const char*>, 10> kNames = {{
    {CpuFeature::sse42, "SSE4.2"},
    {CpuFeature::avx, "AVX"},
    {CpuFeature::avx2, "AVX2"},
    {CpuFeature::fma, "FMA"},
    {CpuFeature::avx512f, "AVX512F"},
    {CpuFeature::avx512bw, "AVX512BW"},
    {CpuFeature::avx512dq, "AVX512DQ"},
    {CpuFeature::avx512vl, "AVX512VL"},
    {CpuFeature::avx512_vnni, "AVX512_VNNI"},
    {CpuFeature::avx512_bf16, "AVX512_BF16"},
}};

#if defined(__x86_64__) || defined(__i386__)
bool detect(CpuFeature feature) {
  // Needed when this runs before constructors, e.g. from a test's static parameter list.
  __builtin_cpu_init();
  switch (feature) {
    case CpuFeature::sse42: return __builtin_cpu_supports("sse4.2");
    case CpuFeature::avx: return __builtin_cpu_supports("avx");
    case CpuFeature::avx2: return __builtin_cpu_supports("avx2");
    case CpuFeature::fma: return __builtin_cpu_supports("fma");
    case CpuFeature::avx512f: return __builtin_cpu_supports("avx512f");
    case CpuFeature::avx512bw: return __builtin_cpu_supports("avx512bw");
    case CpuFeature::avx512dq: return __builtin_cpu_supports("avx512dq");
    case CpuFeature::avx512vl: return __builtin_cpu_supports("avx512vl");
    case CpuFeature::avx512_vnni: return __builtin_cpu_supports("avx512vnni");
    case CpuFeature::avx512_bf16: return __builtin_cpu_supports("avx512bf16");
  }
  return false;
}
#else
bool detect(CpuFeature) { return false; }
#endif

}  // namespace

bool cpu_has(CpuFeature feature) {
  static const auto detected = [] {
    std::array<bool, kNames.size()> present{};
    for (std::size_t i = 0; i < kNames.size(); ++i) present[i] = detect(kNames[i].first);
    return present;
  }();
  return detected[std::size_t(feature)];
}

std::vector<std::string> cpu_feature_names() {
  std::vector<std::string> names;
  for (const auto& [feature, name] : kNames)
    if (cpu_has(feature)) names.emplace_back(name);
  return names;
}

}  // namespace mnistbench
