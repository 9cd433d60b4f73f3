#pragma once
// The facts recorded with every result: which machine, which code.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace mnistbench {

struct MachineInfo {
  std::string cpu_model;          // /proc/cpuinfo's model name: "AMD EPYC"
  std::string microarchitecture;  // common/platform/cpu_identity.h: "Zen 5"
  int cpu_family = -1;
  int cpu_model_number = -1;
  int logical_cores = 0;
  std::vector<std::string> instruction_sets;  // of those this project can use
  std::string hostname;
  std::string compiler;
  std::string openblas_coretype;  // $OPENBLAS_CORETYPE, empty when unset
};

MachineInfo describe_machine();
nlohmann::json to_json(const MachineInfo& machine);

// The git commit this binary was built from, "-dirty" if the tree had changes.
std::string git_commit();

}  // namespace mnistbench
