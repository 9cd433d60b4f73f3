#pragma once
// The array shape fuzz_npy asks for, shared with the seed writer so that the
// valid seeds get past the shape check.

namespace mnistbench::fuzz {

constexpr int kNpyRows = 4;
constexpr int kNpyCols = 2;

}  // namespace mnistbench::fuzz
