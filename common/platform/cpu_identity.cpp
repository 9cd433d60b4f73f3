#include "common/platform/cpu_identity.h"

#include <fmt/format.h>

#include <fstream>
#include <string_view>

namespace mnistbench {

namespace {

// From AMD's processor programming references (family 17h, 19h, 1Ah):
// each family's model ranges and the core they hold.
std::string amd_core(int family, int model) {
  if (family == 0x17) return model < 0x30 ? "Zen/Zen+" : "Zen 2";
  if (family == 0x19) {
    const bool zen4 = (model >= 0x10 && model <= 0x1f) || (model >= 0x60 && model <= 0x7f) ||
                      (model >= 0xa0 && model <= 0xaf);
    return zen4 ? "Zen 4" : "Zen 3";
  }
  if (family == 0x1a && model <= 0x4f) return "Zen 5";
  return {};
}

// Intel's family 6 server and recent client models (Intel's model list in
// the Linux kernel, arch/x86/include/asm/intel-family.h). Model 0x55 holds
// three generations told apart by stepping.
std::string intel_core(int family, int model, int stepping) {
  if (family != 6) return {};
  switch (model) {
    case 0x3f: return "Haswell";
    case 0x4f: case 0x56: return "Broadwell";
    case 0x55:
      if (stepping >= 10) return "Cooper Lake";
      return stepping >= 5 ? "Cascade Lake" : "Skylake-SP";
    case 0x8e: case 0x9e: return "Kaby/Coffee Lake";
    case 0x6a: case 0x6c: return "Ice Lake-SP";
    case 0x7e: return "Ice Lake";
    case 0x8c: case 0x8d: return "Tiger Lake";
    case 0x8f: return "Sapphire Rapids";
    case 0xcf: return "Emerald Rapids";
    case 0xad: case 0xae: return "Granite Rapids";
    case 0xaf: return "Sierra Forest";
    case 0x97: case 0x9a: return "Alder Lake";
    case 0xb7: case 0xba: case 0xbf: return "Raptor Lake";
  }
  return {};
}

int number_after_colon(const std::string& line) {
  const auto colon = line.find(':');
  if (colon == std::string::npos) return -1;
  try {
    return std::stoi(line.substr(colon + 1));
  } catch (const std::exception&) {
    return -1;
  }
}

std::string text_after_colon(const std::string& line) {
  const auto colon = line.find(':');
  return colon == std::string::npos || colon + 2 > line.size() ? "" : line.substr(colon + 2);
}

CpuIdentity read_cpu_identity() {
  CpuIdentity cpu;
  std::string vendor_id;
  std::ifstream cpuinfo("/proc/cpuinfo");
  // The first processor's block describes them all; it ends at a blank line.
  for (std::string line; std::getline(cpuinfo, line) && !line.empty();) {
    const auto key = std::string_view(line).substr(0, line.find_first_of("\t:"));
    if (key == "vendor_id") vendor_id = text_after_colon(line);
    else if (key == "cpu family") cpu.family = number_after_colon(line);
    else if (key == "model") cpu.model = number_after_colon(line);
    else if (key == "stepping") cpu.stepping = number_after_colon(line);
  }
  cpu.vendor = vendor_id == "AuthenticAMD" ? "AMD" : vendor_id == "GenuineIntel" ? "Intel" : vendor_id;
  cpu.microarchitecture = microarchitecture_of(vendor_id, cpu.family, cpu.model, cpu.stepping);
  return cpu;
}

}  // namespace

std::string microarchitecture_of(const std::string& vendor_id, int family, int model,
                                 int stepping) {
  if (family < 0) return "unknown";
  std::string core;
  if (vendor_id == "AuthenticAMD") core = amd_core(family, model);
  else if (vendor_id == "GenuineIntel") core = intel_core(family, model, stepping);
  if (!core.empty()) return core;
  return fmt::format("{} family {:#x} model {:#x}", vendor_id.empty() ? "unknown" : vendor_id,
                     family, model);
}

const CpuIdentity& cpu_identity() {
  static const CpuIdentity cpu = read_cpu_identity();
  return cpu;
}

}  // namespace mnistbench
