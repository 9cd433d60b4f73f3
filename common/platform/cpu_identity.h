#pragma once
// Which CPU this is, beyond its marketing name: vendor, family and model
// numbers, and the microarchitecture they mean. Results are kept per
// microarchitecture (results/<cpu>-<microarchitecture>/), because one model
// name ("AMD EPYC" in a virtual machine) covers CPUs whose vector units
// differ by a factor of two: Zen 4 runs AVX-512 on 256-bit pipes, Zen 5 on
// 512-bit ones.

#include <string>

namespace mnistbench {

struct CpuIdentity {
  std::string vendor;  // "AMD", "Intel", or what /proc/cpuinfo's vendor_id says
  int family = -1;     // the displayed family (extended family included), -1 when unknown
  int model = -1;      // the displayed model (extended model included)
  int stepping = -1;
  std::string microarchitecture;  // "Zen 5", "Sapphire Rapids", or "family 0x.. model 0x.."
};

// This machine's, read once from /proc/cpuinfo; every field unknown elsewhere.
const CpuIdentity& cpu_identity();

// The microarchitecture of a vendor_id, family, model and stepping as Linux
// reports them ("AuthenticAMD", 26, 2, 0 -> "Zen 5"); for a combination not
// in the table, "<vendor> family 0x<f> model 0x<m>", so that an unknown CPU is
// still told apart from its neighbours. "unknown" when the family is unknown.
std::string microarchitecture_of(const std::string& vendor_id, int family, int model,
                                 int stepping);

}  // namespace mnistbench
