// The microarchitecture names results are filed under (results/<cpu>-<uarch>/).
#include <gtest/gtest.h>

#include "common/platform/cpu_identity.h"

namespace mnistbench {
namespace {

TEST(CpuIdentity, NamesAmdCoresByFamilyAndModel) {
  EXPECT_EQ(microarchitecture_of("AuthenticAMD", 0x17, 0x31, 0), "Zen 2");   // Rome
  EXPECT_EQ(microarchitecture_of("AuthenticAMD", 0x19, 0x01, 1), "Zen 3");   // Milan
  EXPECT_EQ(microarchitecture_of("AuthenticAMD", 0x19, 0x11, 1), "Zen 4");   // Genoa
  EXPECT_EQ(microarchitecture_of("AuthenticAMD", 0x19, 0xa0, 2), "Zen 4");   // Bergamo
  EXPECT_EQ(microarchitecture_of("AuthenticAMD", 0x1a, 0x02, 0), "Zen 5");   // Turin
}

TEST(CpuIdentity, TellsIntelsModel55GenerationsApartByStepping) {
  EXPECT_EQ(microarchitecture_of("GenuineIntel", 6, 0x55, 4), "Skylake-SP");
  EXPECT_EQ(microarchitecture_of("GenuineIntel", 6, 0x55, 7), "Cascade Lake");
  EXPECT_EQ(microarchitecture_of("GenuineIntel", 6, 0x55, 11), "Cooper Lake");
  EXPECT_EQ(microarchitecture_of("GenuineIntel", 6, 0x8f, 8), "Sapphire Rapids");
}

TEST(CpuIdentity, AnUnknownCpuKeepsItsNumbers) {
  EXPECT_EQ(microarchitecture_of("AuthenticAMD", 0x1b, 0x00, 0), "AuthenticAMD family 0x1b model 0x0");
  EXPECT_EQ(microarchitecture_of("HygonGenuine", 0x18, 0x01, 0), "HygonGenuine family 0x18 model 0x1");
  EXPECT_EQ(microarchitecture_of("", -1, -1, -1), "unknown");
}

TEST(CpuIdentity, ThisMachineHasAnAnswer) {
  // Not a fixed value (the CPU differs between machines): only that it was read.
  EXPECT_FALSE(cpu_identity().microarchitecture.empty());
}

}  // namespace
}  // namespace mnistbench
