// The portable path: the same algorithms on one float at a time, for a CPU
// with neither AVX2+FMA nor AVX-512. Built with the project's baseline flags,
// so it needs no CPU check, and exp is the C library's.

#include <cmath>

#include "backends/simd/kernels.h"
#include "backends/simd/kernel_templates.h"

namespace mnistbench::simd {
namespace {

struct Scalar {
  using vec = float;
  using mask = bool;  // whether the one lane is kept
  static constexpr int width = 1;
  // 10 accumulators fit the 16 xmm registers with room for the operands.
  static constexpr int dot_rows_a = 1, dot_rows_b = 10;
  static constexpr int byte_dot_rows_a = 1, byte_dot_rows_b = 10;
  static constexpr int axpy_rows = 5, axpy_vectors = 2;

  static vec zero() { return 0.0f; }
  static vec set1(float x) { return x; }
  static vec load(const float* p) { return *p; }
  static vec load_bytes(const std::uint8_t* p) { return float(*p); }
  static void store(float* p, vec v) { *p = v; }
  static mask first(int n) { return n > 0; }
  static mask all() { return true; }
  static vec load(const float* p, mask m) { return m ? *p : 0.0f; }
  static vec load_or(const float* p, mask m, vec fill) { return m ? *p : fill; }
  static void store(float* p, vec v, mask m) {
    if (m) *p = v;
  }
  static vec keep(vec v, mask m) { return m ? v : 0.0f; }
  static vec in_register(vec v) { return v; }

  static vec add(vec a, vec b) { return a + b; }
  static vec sub(vec a, vec b) { return a - b; }
  static vec mul(vec a, vec b) { return a * b; }
  static vec div(vec a, vec b) { return a / b; }
  static vec min(vec a, vec b) { return b < a ? b : a; }
  static vec max(vec a, vec b) { return a < b ? b : a; }
  static vec fmadd(vec a, vec b, vec c) { return a * b + c; }
  static vec fnmadd(vec a, vec b, vec c) { return c - a * b; }
  static vec fmadd_broadcast(const float* a, vec b, vec c) { return fmadd(set1(*a), b, c); }
  static vec keep_positive(vec z, vec x) { return z > 0.0f ? x : 0.0f; }
  static float reduce_add(vec v) { return v; }
  static float reduce_max(vec v) { return v; }
  static vec exp(vec x) { return std::exp(x); }
};

}  // namespace

const Kernels kScalarKernels = make_kernels<Scalar>("scalar");

}  // namespace mnistbench::simd
