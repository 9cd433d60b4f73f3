#pragma once
// The one comparison helper, as gtest assertions: element i of actual must
// lie within bound[i] (or a scalar bound) of expected; the failure names the
// worst element. The check itself is common/checks/tolerances.h's worst_violation.

#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "common/platform/aligned.h"

namespace mnistbench::test {

::testing::AssertionResult within_bounds(std::string_view what, std::span<const float> expected,
                                         std::span<const float> actual,
                                         std::span<const double> bound);

// |actual - expected| <= absolute + relative·|expected|, elementwise.
::testing::AssertionResult all_close(std::string_view what, std::span<const float> expected,
                                     std::span<const float> actual, double relative,
                                     double absolute);

// n values uniform in [low, high) from the portable generator.
AlignedVector<float> random_values(std::size_t n, std::uint64_t seed, float low = -1.0f,
                                   float high = 1.0f);

}  // namespace mnistbench::test
