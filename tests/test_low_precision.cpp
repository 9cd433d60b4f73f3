// The precision ladder (--precision, common/model/precision.h): the
// reference rounding, every low-precision simd kernel against naive's float32
// product of the same operands within its derived bound (common/checks/
// tolerances.h), a step of every backend that runs a precision (simd,
// onednn) against naive's emulation of it, and the one-line refusals of a backend or a CPU that cannot.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/simd/low_precision.h"
#include "backends/simd/tile_choice.h"
#include "common/checks/tolerances.h"
#include "common/model/registry.h"
#include "common/platform/aligned.h"
#include "common/platform/cache_sizes.h"
#include "common/platform/errors.h"
#include "tests/support/backend_checks.h"
#include "tests/support/cli_runner.h"
#include "tests/support/refusals.h"

namespace mnistbench {

// gtest shows a precision by its key, not its bytes.
inline void PrintTo(Precision precision, std::ostream* out) { *out << precision_key(precision); }

}  // namespace mnistbench

namespace mnistbench::test {
namespace {

// ---- The reference rounding ----

TEST(Bf16Rounding, RoundsToNearestTiesToEven) {
  EXPECT_EQ(round_to_bf16(1.0f), 1.0f);
  // The ulp of bf16 at 1 is 2^-7: 1 + 2^-8 is a tie, to the even 1;
  // 1 + 3·2^-8 is a tie between 1 + 2^-7 (odd) and 1 + 2^-6 (even).
  EXPECT_EQ(round_to_bf16(1.0f + 0x1p-8f), 1.0f);
  EXPECT_EQ(round_to_bf16(1.0f + 3 * 0x1p-8f), 1.0f + 0x1p-6f);
  EXPECT_EQ(round_to_bf16(1.0f + 0x1p-8f + 0x1p-20f), 1.0f + 0x1p-7f);
  EXPECT_EQ(round_to_bf16(-1.0f - 0x1p-8f - 0x1p-20f), -1.0f - 0x1p-7f);
  EXPECT_TRUE(std::isnan(round_to_bf16(std::numeric_limits<float>::quiet_NaN())));
}

TEST(Bf16Rounding, PixelBytesAreExact) {
  for (int v = 0; v < 256; ++v) EXPECT_EQ(round_to_bf16(float(v)), float(v)) << v;
}

TEST(Bf16Rounding, RelativeErrorIsAtMostTwoToTheMinusEight) {
  std::mt19937 random(3);
  std::uniform_real_distribution<float> value(-4.0f, 4.0f);
  for (int i = 0; i < 100000; ++i) {
    const float x = value(random);
    EXPECT_LE(std::fabs(round_to_bf16(x) - x), kBf16Roundoff * std::fabs(x)) << x;
  }
}

TEST(Int8Quantisation, TheLargestWeightOfARowIsAFullStep) {
  const float row[] = {0.5f, -0.25f, 0.1f, 0.0f};
  const float inverse = int8_inverse_scale(row, 4);
  EXPECT_EQ(quantise_int8(0.5f, inverse), 127);
  EXPECT_EQ(quantise_int8(-0.25f, inverse), -64);  // -63.5, a tie, to the even -64
  EXPECT_EQ(quantise_int8(0.0f, inverse), 0);
  EXPECT_FLOAT_EQ(int8_row_scale(row, 4), 0.5f / 127);
  const float zeros[] = {0.0f, 0.0f};
  EXPECT_EQ(int8_inverse_scale(zeros, 2), 0.0f);
}

// ---- The simd kernels, against naive's float32 matmul ----

struct KernelCase {
  int samples, hidden, inputs, rows_after;
};

void PrintTo(const KernelCase& c, std::ostream* out) {
  *out << c.samples << "x" << c.hidden << "x" << c.inputs << "+" << c.rows_after;
}

// The tutorial's block (128 × 10 × 784); odd samples, a hidden width past
// one register tile, a short row with a tail of each kernel's vector, and
// rows beyond the block that the kernels prefetch but must not use.
const KernelCase kKernelCases[] = {
    {128, 10, 784, 0}, {7, 10, 784, 5}, {33, 13, 100, 0}, {2, 3, 47, 40}, {1, 1, 31, 0},
};

class LowPrecisionKernel : public ::testing::TestWithParam<KernelCase> {
 protected:
  void SetUp() override {
    if (simd::low_precision_refusal(Precision::int8))
      GTEST_SKIP() << "simd: " << *simd::low_precision_refusal(Precision::int8);
    const KernelCase& c = GetParam();
    std::mt19937 random(11);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_real_distribution<float> weight(-0.5f, 0.5f);
    pixels.resize(std::size_t(c.samples + c.rows_after) * c.inputs);
    for (std::uint8_t& p : pixels) p = std::uint8_t(byte(random));
    x.assign(pixels.begin(), pixels.begin() + std::ptrdiff_t(c.samples) * c.inputs);
    w1.resize(std::size_t(c.hidden) * c.inputs);
    for (float& w : w1) w = weight(random);
    dz1.resize(std::size_t(c.samples) * c.hidden);
    for (float& d : dz1) d = weight(random);
    old.resize(w1.size());
    for (float& o : old) o = weight(random);
  }

  std::vector<std::uint8_t> pixels;  // (samples + rows_after, inputs)
  std::vector<float> x;              // the block's pixels as exact floats
  std::vector<float> w1, dz1, old;
  std::unique_ptr<Backend> naive = make_backend("naive");
};

#if MNISTBENCH_SIMD_AVX_PATHS
const simd::LowPrecisionKernels& kernels() { return simd::kAvx512LowPrecisionKernels; }

// The blocking the backend would use here (the kernels take it for their prefetch distance).
const simd::TileConfig& tiles() {
  static const simd::TileConfig derived =
      simd::derive_tile_config(machine_cache_sizes(), 16, 784);  // AVX-512, MNIST's pixels
  return derived;
}

// Z1 = alpha · X · Wᵀ by the forward kernel of precision, W lowered first
// by lower_w1 into 64-byte aligned memory, as the backend does once a step.
void lowered_forward(Precision precision, const KernelCase& c, float alpha,
                     const std::vector<std::uint8_t>& pixels, const std::vector<float>& w,
                     int rows_after, float* z1) {
  const simd::LowPrecisionKernels& k = kernels();
  AlignedVector<std::uint8_t> lowered(k.lowered_w1_bytes(precision, c.hidden, c.inputs));
  std::vector<float> scales(std::size_t(c.hidden));
  k.lower_w1(precision, w.data(), c.hidden, c.inputs, lowered.data(), scales.data());
  const auto product = precision == Precision::bf16 ? k.x_w1t_bf16 : k.x_w1t_int8;
  product(c.samples, c.hidden, c.inputs, alpha, pixels.data(), lowered.data(), scales.data(), z1,
          rows_after, tiles());
}

// Z1 = alpha · X · Wᵀ by naive in float32 and by one of the forward kernels.
struct Forward {
  std::vector<float> expected, actual;
};
Forward forward_both(Backend& naive, Precision precision, const KernelCase& c, float alpha,
                     const std::vector<std::uint8_t>& pixels, const std::vector<float>& x,
                     const std::vector<float>& w, int rows_after) {
  Forward f{std::vector<float>(std::size_t(c.samples) * c.hidden), {}};
  f.actual.resize(f.expected.size());
  naive.matmul(Transpose::no, Transpose::yes, c.samples, c.hidden, c.inputs, alpha, x.data(),
               w.data(), 0.0f, f.expected.data());
  lowered_forward(precision, c, alpha, pixels, w, rows_after, f.actual.data());
  return f;
}

TEST_P(LowPrecisionKernel, ForwardBf16WithinItsBound) {
  const KernelCase& c = GetParam();
  const float alpha = 1.0f / 255;
  const auto [expected, actual] =
      forward_both(*naive, Precision::bf16, c, alpha, pixels, x, w1, c.rows_after);
  const auto bound = bf16_matmul_bounds(Transpose::no, Transpose::yes, c.samples, c.hidden, c.inputs,
                                        alpha, x.data(), w1.data(), 0.0f, nullptr);
  EXPECT_EQ(worst_violation("Z1 bf16", expected, actual, bound), std::nullopt);
}

TEST_P(LowPrecisionKernel, ForwardInt8WithinItsBound) {
  const KernelCase& c = GetParam();
  const float alpha = 1.0f / 255;
  const auto [expected, actual] =
      forward_both(*naive, Precision::int8, c, alpha, pixels, x, w1, c.rows_after);
  const auto bound = int8_forward_bounds(c.samples, c.hidden, c.inputs, alpha, x.data(), w1.data());
  EXPECT_EQ(worst_violation("Z1 int8", expected, actual, bound), std::nullopt);
}

// The int8 kernel's weights are the reference quantisation's, bit for bit:
// against naive on the dequantised weights it is only float32 summation apart.
TEST_P(LowPrecisionKernel, ForwardInt8QuantisesAsTheReference) {
  const KernelCase& c = GetParam();
  std::vector<float> lowered = w1;
  lower_forward_weights(Precision::int8, lowered.data(), c.hidden, c.inputs);
  std::vector<float> expected(std::size_t(c.samples) * c.hidden), actual(expected.size());
  naive->matmul(Transpose::no, Transpose::yes, c.samples, c.hidden, c.inputs, 1.0f, x.data(),
                lowered.data(), 0.0f, expected.data());
  lowered_forward(Precision::int8, c, 1.0f, pixels, w1, 0, actual.data());
  // Exact int32 sums times the scale, against float sums: matmul_bounds, plus
  // one rounding each of the int32 total and of the scale's product.
  auto bound = matmul_bounds(Transpose::no, Transpose::yes, c.samples, c.hidden, c.inputs, 1.0f,
                             x.data(), lowered.data(), 0.0f, nullptr);
  for (std::size_t i = 0; i < bound.size(); ++i) bound[i] += 4 * kUnitRoundoff * std::fabs(expected[i]);
  EXPECT_EQ(worst_violation("Z1 int8 vs dequantised", expected, actual, bound), std::nullopt);
}

TEST_P(LowPrecisionKernel, WeightGradientBf16WithinItsBound) {
  const KernelCase& c = GetParam();
  const float alpha = 0.5f / 255;
  for (const float beta : {0.0f, 1.0f}) {
    std::vector<float> expected = old, actual = old;
    naive->matmul(Transpose::yes, Transpose::no, c.hidden, c.inputs, c.samples, alpha, dz1.data(),
                  x.data(), beta, expected.data());
    kernels().dz1t_x_bf16(c.hidden, c.inputs, c.samples, alpha, dz1.data(), pixels.data(), beta,
                          actual.data(), c.rows_after, tiles());
    const auto bound = bf16_matmul_bounds(Transpose::yes, Transpose::no, c.hidden, c.inputs,
                                          c.samples, alpha, dz1.data(), x.data(), beta, old.data());
    EXPECT_EQ(worst_violation("dW1 bf16", expected, actual, bound), std::nullopt) << "beta " << beta;
  }
}
#endif

INSTANTIATE_TEST_SUITE_P(Shapes, LowPrecisionKernel, ::testing::ValuesIn(kKernelCases));

// ---- A step of simd at each precision against naive's emulation ----

class LowPrecisionStep : public ::testing::TestWithParam<Precision> {};

TEST_P(LowPrecisionStep, EveryBackendThatRunsItMatchesNaiveEmulation) {
  const Precision precision = GetParam();
  const NetworkShape tutorial;
  const RandomBatch data = random_batch(300, tutorial.inputs());
  std::unique_ptr<Backend> naive = make_backend("naive");
  select_precision(*naive, precision, tutorial);
  const StepResult expected = one_step(*naive, tutorial, data);
  for (const std::string& name : backend_names()) {
    std::unique_ptr<Backend> backend = make_backend(name);
    if (name == "naive" || backend->precision_refusal(precision, tutorial)) continue;
    select_precision(*backend, precision, tutorial);
    const StepResult actual = one_step(*backend, tutorial, data);
    // Both round the same weights the same way; what differs is float32
    // summation, and where it lands a value of dZ1 on the other side of a
    // bf16 rounding boundary, that value's 2^-7: a few per million of a view.
    EXPECT_TRUE(gradients_close(name, expected.grads, actual.grads, kBf16Roundoff));
  }
}

// Naive's emulation is no float32 step in disguise: its gradients move by
// about the rounding, no more (a lowering applied to the wrong operand, or
// not at all, fails one side or the other).
TEST_P(LowPrecisionStep, NaiveEmulationMovesTheGradientsByAboutTheRounding) {
  const Precision precision = GetParam();
  const NetworkShape tutorial;
  std::unique_ptr<Backend> lowered = make_backend("naive"), full = make_backend("naive");
  select_precision(*lowered, precision, tutorial);
  const RandomBatch data = random_batch(300, tutorial.inputs());
  const StepResult expected = one_step(*full, tutorial, data);
  const StepResult actual = one_step(*lowered, tutorial, data);
  EXPECT_FALSE(gradients_close("W1", expected.grads, actual.grads, 0.0));
  // int8's half step is 1/254 of a row's largest weight, bf16's 2^-8 of each at most.
  EXPECT_TRUE(gradients_close("gradients", expected.grads, actual.grads, 0.05));
}

INSTANTIATE_TEST_SUITE_P(Precisions, LowPrecisionStep,
                         ::testing::Values(Precision::bf16, Precision::int8),
                         [](const auto& info) { return std::string(precision_key(info.param)); });

// ---- Refusals, one line each ----

TEST(PrecisionRefusal, ABackendWithoutLowPrecisionNamesThoseThatCan) {
  for (const std::string& name : backend_names()) {
    if (name == "naive" || name == "simd") continue;
    std::unique_ptr<Backend> backend = make_backend(name);
    if (!backend->precision_refusal(Precision::bf16, NetworkShape{})) continue;
    EXPECT_TRUE(fails_with<UsageError>(
        [&] { select_precision(*backend, Precision::bf16, NetworkShape{}); },
        {"--precision bf16: " + name + " ", "naive"}));
  }
}

TEST(PrecisionRefusal, EveryBackendRunsFloat32) {
  for (const std::string& name : backend_names())
    EXPECT_EQ(make_backend(name)->precision_refusal(Precision::fp32, NetworkShape{}), std::nullopt) << name;
}

TEST(PrecisionRefusal, ACpuWithoutTheInstructionsIsNamed) {
  if (!simd::kAvxPathsBuilt) GTEST_SKIP() << "no x86-64 paths in this build";
  const auto without_bf16 = [](CpuFeature f) { return f != CpuFeature::avx512_bf16; };
  const auto without_vnni = [](CpuFeature f) { return f != CpuFeature::avx512_vnni; };
  const auto everything = [](CpuFeature) { return true; };
  EXPECT_NE(simd::low_precision_refusal(Precision::bf16, without_bf16)->find("AVX512_BF16"), std::string::npos);
  EXPECT_NE(simd::low_precision_refusal(Precision::int8, without_bf16)->find("AVX512_BF16"), std::string::npos);
  EXPECT_NE(simd::low_precision_refusal(Precision::int8, without_vnni)->find("AVX512_VNNI"), std::string::npos);
  EXPECT_EQ(simd::low_precision_refusal(Precision::bf16, without_vnni), std::nullopt);
  EXPECT_EQ(simd::low_precision_refusal(Precision::int8, everything), std::nullopt);
}

TEST(PrecisionRefusal, SimdRefusesNetworksItsFusedStepDoesNotCover) {
  std::unique_ptr<Backend> simd = make_backend("simd");
  const NetworkShape two_hidden = parse_layers("784,32,16,10");
  if (simd->precision_refusal(Precision::bf16, NetworkShape{})) GTEST_SKIP() << "this CPU has no bf16";
  EXPECT_TRUE(fails_with<UsageError>([&] { select_precision(*simd, Precision::bf16, two_hidden); },
                                     {"--precision bf16: simd ", "one hidden layer", "naive"}));
}

TEST(PrecisionRefusal, AnUnknownPrecisionIsNamed) {
  EXPECT_TRUE(fails_with<UsageError>([] { parse_precision("fp16"); }, {"--precision", "fp16", "bf16"}));
}

// A built-in backend without bf16, if any: the one a user could ask in vain.
std::optional<std::string> backend_without_bf16() {
  for (const std::string& name : backend_names())
    if (make_backend(name)->precision_refusal(Precision::bf16, NetworkShape{})) return name;
  return std::nullopt;
}

TEST_F(Cli, TrainRefusesAPrecisionTheBackendCannotRunInOneLine) {
  const std::optional<std::string> backend = backend_without_bf16();
  if (!backend) GTEST_SKIP() << "every backend built in runs bf16";
  expect_rejected(run("train --backend " + *backend + " --precision bf16"), 2, "--precision bf16: " + *backend);
}

TEST_F(Cli, ComparePrecisionsTrainsEachBackendAtEachItRuns) {
  const std::optional<std::string> other = backend_without_bf16();
  if (make_backend("simd")->precision_refusal(Precision::int8, NetworkShape{}))
    GTEST_SKIP() << "this CPU runs no simd int8";
  const std::string json = (folder / "ladder.json").string();
  const Outcome outcome = run("compare --backends simd" + (other ? "," + *other : std::string()) +
                              " --precisions fp32,int8 --iterations 3 --dev-size 55000 --json " + json);
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  if (other) {
    EXPECT_NE(outcome.output.find(*other + " at int8: skipped"), std::string::npos) << outcome.output;
  }
  std::ifstream in(json);
  const nlohmann::json result = nlohmann::json::parse(in);
  std::vector<std::string> seen;
  for (const nlohmann::json& run : result["runs"]) {
    seen.push_back(run["backend"].get<std::string>() + "/" + run["precision"].get<std::string>());
    EXPECT_TRUE(run.contains("test_accuracy_vs_fp32_points")) << seen.back();
  }
  EXPECT_NE(std::find(seen.begin(), seen.end(), "simd/int8"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "naive/int8"), seen.end());
  if (other) {
    EXPECT_EQ(std::find(seen.begin(), seen.end(), *other + "/int8"), seen.end());
  }
}

}  // namespace
}  // namespace mnistbench::test
