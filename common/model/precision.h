#pragma once
// The precision a step's products run in (--precision), and the reference
// rounding each one applies, in plain C++: naive's emulation and the tests
// use these, and every hand-written kernel must round the same way.
//
// What a lower precision changes: the two products with the input, X·W1ᵀ
// forward and dZ1ᵀ·X for dW1, which are almost all of a step (the 10-wide
// layers' products are under 2% of its FLOPs and stay float32). The input's
// raw bytes 0-255 are exact in bf16 and are VNNI's unsigned-byte operand, so
// only the other operand is rounded; the 1/255, the accumulation, the master
// weights, the update, bias, ReLU, softmax and the loss stay float32.
// Evaluation (loss, accuracies) reads the float32 master weights.
//
//   bf16: W1 and dZ1 rounded to bf16 (round to nearest, ties to even),
//         products accumulated in float32.
//   int8: forward W1 as signed bytes with one scale per row of W1 (per
//         hidden unit): s = max|w| / 127, q = round(w / s), recomputed from
//         the master weights at every step, so the quantisation follows the
//         weights as they train and no calibration pass is needed; the
//         products sum exactly in int32, then times s / 255. Per row rather
//         than per tensor because rows of W1 differ in size by several times
//         once trained, and one scale would waste their bits. The backward
//         product runs in bf16.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mnistbench {

enum class Precision { fp32, bf16, int8 };

inline constexpr Precision kPrecisions[] = {Precision::fp32, Precision::bf16, Precision::int8};

// The one spelling in the CLI, JSON and tables: "fp32", "bf16", "int8".
std::string_view precision_key(Precision precision);
std::vector<std::string> precision_keys();
// Throws UsageError naming the flag and the valid keys for anything else.
Precision parse_precision(std::string_view key, std::string_view flag = "--precision");
// "fp32,bf16": each once, in the order given; an unknown or repeated key is a UsageError.
std::vector<Precision> parse_precisions(std::string_view keys, std::string_view flag = "--precisions");

// x rounded to bf16 (8 significant bits), to nearest, ties to even, as a
// float; NaN stays NaN. Relative error at most 2^-8 (the unit roundoff of
// bf16's 8 significant bits).
float round_to_bf16(float x);
// The same, as bf16's 16 bits (the top half of the float's).
std::uint16_t bf16_bits(float x);

// The int8 scale of one row of n weights: max|w| / 127 (0 for a zero row).
float int8_row_scale(const float* row, int n);
// w quantised with that scale: round(w · (127 / max|w|)), ties to even, in
// [-127, 127]. Every kernel multiplies by this reciprocal rather than divides
// by the scale, so that all of them get the same bytes.
std::int8_t quantise_int8(float w, float inverse_scale);
// 127 / max|w| for the row (0 for a zero row).
float int8_inverse_scale(const float* row, int n);

// W (rows, cols) replaced by what the precision's forward product multiplies
// by: bf16-rounded, or each row's q · s for int8; fp32 leaves it alone.
void lower_forward_weights(Precision precision, float* W, int rows, int cols);

}  // namespace mnistbench
