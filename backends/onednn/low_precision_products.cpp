#include "backends/onednn/low_precision_products.h"

namespace mnistbench {

namespace {

using dnnl::memory;
using Dims = memory::dims;

memory::desc matrix(memory::dim rows, memory::dim cols, bool stored_transposed, memory::data_type type) {
  return memory::desc({rows, cols}, type, stored_transposed ? Dims{1, rows} : Dims{cols, 1});
}

}  // namespace

bool LowPrecisionProducts::available(Precision precision) const {
  if (precision == Precision::fp32) return true;
  try {
    const auto source = precision == Precision::bf16 ? memory::data_type::bf16 : memory::data_type::u8;
    const auto weights = precision == Precision::bf16 ? memory::data_type::bf16 : memory::data_type::s8;
    const dnnl::matmul::primitive_desc pd(
        dnnl::matmul::desc(matrix(128, 784, false, source), matrix(784, 10, true, weights),
                           matrix(128, 10, false, memory::data_type::f32)),
        engine_);
    // oneDNN's reference kernels run anywhere but would be no figure of the precision.
    return std::string(pd.impl_info_str()).find("ref") == std::string::npos;
  } catch (const dnnl::error&) {
    return false;
  }
}

LowPrecisionProducts::Prepared& LowPrecisionProducts::prepared(Product product, int M, int N, int K) {
  auto [at, made] = primitives_.try_emplace({product, M, N, K});
  Prepared& p = at->second;
  if (!made) return p;
  using T = memory::data_type;
  const bool int8 = product == Product::forward_int8;
  const bool forward = product != Product::gradient_bf16;
  // forward: X (M, K) · W1ᵀ, W1 stored (N, K); gradient: dZ1ᵀ, stored (K, M), · X (K, N).
  const memory::desc a = matrix(M, K, !forward, int8 ? T::u8 : T::bf16);
  const memory::desc b = matrix(K, N, forward, int8 ? T::s8 : T::bf16);
  const memory::desc c = matrix(M, N, false, T::f32);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  // int8: one scale per column of Z1 (row of W1), mask bit 1; bf16: alpha alone.
  attr.set_output_scales(int8 ? 1 << 1 : 0, {DNNL_RUNTIME_F32_VAL});
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), attr, engine_);
  p.primitive = dnnl::matmul(pd);
  p.args = {{DNNL_ARG_SRC, memory(a, engine_, nullptr)},
            {DNNL_ARG_WEIGHTS, memory(b, engine_, nullptr)},
            {DNNL_ARG_DST, memory(c, engine_, nullptr)},
            {DNNL_ARG_ATTR_OUTPUT_SCALES, memory({{int8 ? N : 1}, T::f32, {1}}, engine_, nullptr)},
            {DNNL_ARG_SCRATCHPAD, memory(pd.scratchpad_desc(), engine_)}};
  return p;
}

void LowPrecisionProducts::run(Prepared& p, std::initializer_list<std::pair<int, const void*>> buffers) {
  // oneDNN reads its source operands only, but takes every handle as void*.
  for (const auto& [arg, data] : buffers) p.args.at(arg).set_data_handle(const_cast<void*>(data));
  p.primitive.execute(stream_, p.args);
  stream_.wait();
}

void LowPrecisionProducts::pixels_to_bf16(const std::uint8_t* X, std::size_t n) {
  x_bf16_.resize(n);
  // A byte has 8 significant bits at most, so its bf16 is exact. oneDNN's
  // reorder widens on oneDNN's threads; a plain loop here ran on the calling
  // thread alone while the others waited.
  if (widen_.pixels != n) {
    widen_.bytes = memory({{memory::dim(n)}, memory::data_type::u8, Dims{1}}, engine_, nullptr);
    widen_.bf16 = memory({{memory::dim(n)}, memory::data_type::bf16, Dims{1}}, engine_, nullptr);
    widen_.primitive = dnnl::reorder(widen_.bytes, widen_.bf16);
    widen_.pixels = n;
  }
  widen_.bytes.set_data_handle(const_cast<std::uint8_t*>(X));  // oneDNN only reads its source
  widen_.bf16.set_data_handle(x_bf16_.data());
  widen_.primitive.execute(stream_, widen_.bytes, widen_.bf16);
  stream_.wait();
}

void LowPrecisionProducts::forward(Precision precision, int M, int N, int K, float alpha,
                                   const std::uint8_t* X, const float* W1, float* Z1) {
  const std::size_t weights = std::size_t(N) * K;
  if (precision == Precision::bf16) {
    pixels_to_bf16(X, std::size_t(M) * K);
    small_bf16_.resize(weights);
    for (std::size_t i = 0; i < weights; ++i) small_bf16_[i] = bf16_bits(W1[i]);
    scales_.assign(1, alpha);
    run(prepared(Product::forward_bf16, M, N, K),
        {{DNNL_ARG_SRC, x_bf16_.data()}, {DNNL_ARG_WEIGHTS, small_bf16_.data()}, {DNNL_ARG_DST, Z1},
         {DNNL_ARG_ATTR_OUTPUT_SCALES, scales_.data()}});
    return;
  }
  w_int8_.resize(weights);
  scales_.resize(std::size_t(N));
  for (int h = 0; h < N; ++h) {
    const float* row = W1 + std::size_t(h) * K;
    const float inverse = int8_inverse_scale(row, K);
    for (int k = 0; k < K; ++k) w_int8_[std::size_t(h) * K + k] = quantise_int8(row[k], inverse);
    scales_[std::size_t(h)] = alpha * int8_row_scale(row, K);
  }
  run(prepared(Product::forward_int8, M, N, K),
      {{DNNL_ARG_SRC, X}, {DNNL_ARG_WEIGHTS, w_int8_.data()}, {DNNL_ARG_DST, Z1},
       {DNNL_ARG_ATTR_OUTPUT_SCALES, scales_.data()}});
}

void LowPrecisionProducts::weight_gradient(Precision precision, int M, int N, int K, float alpha,
                                           const float* dZ1, const std::uint8_t* X, float* dW1) {
  if (precision != Precision::bf16 || x_bf16_.size() != std::size_t(K) * N) pixels_to_bf16(X, std::size_t(K) * N);
  const std::size_t values = std::size_t(K) * M;
  small_bf16_.resize(values);
  for (std::size_t i = 0; i < values; ++i) small_bf16_[i] = bf16_bits(dZ1[i]);
  scales_.assign(1, alpha);
  run(prepared(Product::gradient_bf16, M, N, K),
      {{DNNL_ARG_SRC, small_bf16_.data()}, {DNNL_ARG_WEIGHTS, x_bf16_.data()}, {DNNL_ARG_DST, dW1},
       {DNNL_ARG_ATTR_OUTPUT_SCALES, scales_.data()}});
}

}  // namespace mnistbench
