#include "common/platform/machine.h"

#include "common/platform/cpu_features.h"
#include "common/platform/cpu_identity.h"

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

}  // namespace

MachineInfo describe_machine() {
  MachineInfo machine;
  machine.cpu_model = cpu_model();
  machine.microarchitecture = cpu_identity().microarchitecture;
  machine.cpu_family = cpu_identity().family;
  machine.cpu_model_number = cpu_identity().model;
  machine.logical_cores = int(std::thread::hardware_concurrency());
  machine.instruction_sets = cpu_feature_names();
  char host[256] = {};
  machine.hostname = gethostname(host, sizeof host - 1) == 0 ? host : "unknown";
#if defined(__clang__)
  machine.compiler = "clang++ " __clang_version__;
#else
  machine.compiler = "g++ " __VERSION__;
#endif
  if (const char* coretype = std::getenv("OPENBLAS_CORETYPE")) machine.openblas_coretype = coretype;
  return machine;
}

nlohmann::json to_json(const MachineInfo& machine) {
  return {{"cpu_model", machine.cpu_model},
          {"microarchitecture", machine.microarchitecture},
          {"cpu_family", machine.cpu_family},
          {"cpu_model_number", machine.cpu_model_number},
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
