#pragma once
// The onednn backend's two products with the input at bf16 and int8
// (--precision; common/model/precision.h), as oneDNN matmul primitives on
// bf16 or u8 × s8 memory, so that hand-written (simd) and library code
// compare at the same precision. The pixel bytes are the input: exact in
// bf16, and oneDNN's u8 source as they are. The small operand is lowered
// here, by the rules of common/model/precision.h.

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common/model/precision.h"

namespace mnistbench {

class LowPrecisionProducts {
 public:
  LowPrecisionProducts(const dnnl::engine& engine, dnnl::stream& stream) : engine_(engine), stream_(stream) {}

  // Whether oneDNN has the matmul for precision on this CPU (bf16 and int8
  // matmuls need AVX-512 with BF16, or VNNI, in oneDNN 2.6).
  bool available(Precision precision) const;
  // Primitives fix their threads when made: drop them when the count changes.
  void clear() {
    primitives_.clear();
    widen_ = {};
  }

  // Z1 (M, N) = alpha · X (M, K) · W1ᵀ, X the pixel bytes, W1 (N, K) float32 lowered to precision.
  void forward(Precision precision, int M, int N, int K, float alpha, const std::uint8_t* X,
               const float* W1, float* Z1);
  // dW1 (M, N) = alpha · bf16(dZ1)ᵀ · X, dZ1 stored (K, M), X (K, N) the
  // pixel bytes: both precisions' backward. Uses the bf16 copy of X that
  // forward made at bf16, or makes it (at int8, whose forward reads bytes).
  void weight_gradient(Precision precision, int M, int N, int K, float alpha, const float* dZ1,
                       const std::uint8_t* X, float* dW1);

 private:
  struct Prepared {
    dnnl::primitive primitive;
    std::unordered_map<int, dnnl::memory> args;
  };
  enum class Product { forward_bf16, forward_int8, gradient_bf16 };
  Prepared& prepared(Product product, int M, int N, int K);
  void run(Prepared& p, std::initializer_list<std::pair<int, const void*>> buffers);
  void pixels_to_bf16(const std::uint8_t* X, std::size_t n);

  dnnl::engine engine_;
  dnnl::stream& stream_;
  // std::map: each Prepared stays where it is.
  std::map<std::tuple<Product, int, int, int>, Prepared> primitives_;
  // The pixels' widening to bf16 as oneDNN's reorder, for this many pixels.
  struct Widen {
    std::size_t pixels = 0;
    dnnl::reorder primitive;
    dnnl::memory bytes, bf16;
  } widen_;
  std::vector<std::uint16_t> x_bf16_, small_bf16_;  // the batch's pixels; W1 or dZ1 (transposed)
  std::vector<std::int8_t> w_int8_;
  std::vector<float> scales_;  // int8: alpha · each row's scale
};

}  // namespace mnistbench
