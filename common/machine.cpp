#include "common/machine.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

namespace mnistbench {

namespace {

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return "unknown";
}

std::vector<std::string> instruction_sets() {
  std::vector<std::string> found;
  __builtin_cpu_init();
  const std::pair<bool, const char*> sets[] = {
      {__builtin_cpu_supports("sse4.2"), "SSE4.2"},   {__builtin_cpu_supports("avx"), "AVX"},
      {__builtin_cpu_supports("avx2"), "AVX2"},       {__builtin_cpu_supports("fma"), "FMA"},
      {__builtin_cpu_supports("avx512f"), "AVX512F"}, {__builtin_cpu_supports("avx512bw"), "AVX512BW"},
      {__builtin_cpu_supports("avx512dq"), "AVX512DQ"}, {__builtin_cpu_supports("avx512vl"), "AVX512VL"},
  };
  for (const auto& [supported, name] : sets)
    if (supported) found.emplace_back(name);
  return found;
}

}  // namespace

MachineInfo describe_machine() {
  MachineInfo machine;
  machine.cpu_model = cpu_model();
  machine.logical_cores = int(std::thread::hardware_concurrency());
  machine.instruction_sets = instruction_sets();
  char host[256] = {};
  machine.hostname = gethostname(host, sizeof host - 1) == 0 ? host : "unknown";
  machine.compiler = "g++ " __VERSION__;
  if (const char* coretype = std::getenv("OPENBLAS_CORETYPE")) machine.openblas_coretype = coretype;
  return machine;
}

nlohmann::json to_json(const MachineInfo& machine) {
  return {{"cpu_model", machine.cpu_model},
          {"logical_cores", machine.logical_cores},
          {"instruction_sets", machine.instruction_sets},
          {"hostname", machine.hostname},
          {"compiler", machine.compiler},
          {"openblas_coretype", machine.openblas_coretype}};
}

std::string git_commit() {
  return
#include "git_commit.inc"
      ;
}

}  // namespace mnistbench
