// onednn: oneDNN (the engine PyTorch and TensorFlow run on CPUs) for the
// products, the softmax and the ReLU, as primitives: each is created once per
// shape, on the first call that needs it, and reused by every later call, so
// its JIT compilation and its scratch memory are paid once per shape and no
// op allocates in the step. oneDNN JIT-compiles each primitive for the best
// instruction set the CPU has (DNNL_MAX_CPU_ISA, oneDNN's own variable, caps
// it); info() reports that instruction set and the kernel its matmul chose.
//
// Composed from what oneDNN has: alpha is the matmul's run-time output scale
// and beta its "sum" post-op, and a transposed operand is a memory descriptor
// with swapped strides (oneDNN reads it in place). The ReLU's backward pass,
// the bias add, the cross-entropy gradient, the column sums and the update
// stay the shared plain loops (backends/loop_ops.h): each is one pass over a
// few megabytes at most, where a primitive call would cost more than it saves
// (oneDNN's ReLU backward also wants a forward primitive as its hint).
//
// Threads: this Debian build of oneDNN runs on OpenMP (libgomp), so the count
// is OpenMP's, set with omp_set_num_threads on the calling thread. Primitives
// fix their split across threads when they are created, so a new count
// drops them and they are made again.

#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "backends/loop_ops.h"
#include "backends/onednn/low_precision_products.h"

namespace mnistbench {
namespace {

using dnnl::memory;
using Dims = memory::dims;

// The name of the instruction set oneDNN's JIT targets here.
std::string isa_name(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::sse41: return "SSE4.1";
    case dnnl::cpu_isa::avx: return "AVX";
    case dnnl::cpu_isa::avx2: return "AVX2";
    case dnnl::cpu_isa::avx2_vnni: return "AVX2 (VNNI)";
    case dnnl::cpu_isa::avx512_mic:
    case dnnl::cpu_isa::avx512_mic_4ops: return "AVX-512 (Xeon Phi)";
    case dnnl::cpu_isa::avx512_core: return "AVX-512";
    case dnnl::cpu_isa::avx512_core_vnni: return "AVX-512 (VNNI)";
    case dnnl::cpu_isa::avx512_core_bf16: return "AVX-512 (BF16)";
    case dnnl::cpu_isa::avx512_core_amx: return "AVX-512 (AMX)";
    case dnnl::cpu_isa::all: break;
  }
  return "oneDNN ISA " + std::to_string(int(isa));
}

// A row-major (rows, cols) matrix, or its transpose when stored (cols, rows).
memory::desc matrix(memory::dim rows, memory::dim cols, bool stored_transposed) {
  return memory::desc({rows, cols}, memory::data_type::f32,
                      stored_transposed ? Dims{1, rows} : Dims{cols, 1});
}

// A primitive made for one shape, with its arguments: the memory objects are
// made once and each call points them at its buffers.
struct Prepared {
  dnnl::primitive primitive;
  std::unordered_map<int, memory> args;
  float output_scale = 1.0f;  // a matmul's alpha, read through args' scale memory
};

class OnednnBackend final : public LoopOpsBackend {
 public:
  OnednnBackend() : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_), low_(engine_, stream_) {}

  std::string_view name() const override { return "onednn"; }

  BackendInfo info() const override {
    const dnnl_version_t* v = dnnl::version();
    // The kernel oneDNN picks for the step's largest product, the forward
    // X·W1ᵀ over a full batch: which of its implementations (brgemm, gemm,
    // reference) and for which instruction set.
    const dnnl::matmul::primitive_desc probe(
        dnnl::matmul::desc(matrix(59000, 784, false), matrix(784, 10, true),
                           matrix(59000, 10, false)),
        engine_);
    return {"oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                std::to_string(v->patch) + " (OpenMP; matmul kernel " + probe.impl_info_str() + ")",
            isa_name(dnnl::get_effective_cpu_isa()), omp_get_max_threads()};
  }

  void set_threads(int requested) override {
    if (requested == omp_get_max_threads()) return;
    omp_set_num_threads(requested);
    matmuls_.clear();
    softmaxes_.clear();
    relus_.clear();
    low_.clear();
  }

  // bf16 and int8: oneDNN's own bf16 and u8 × s8 matmuls for the two
  // products with the input (low_precision_products.h), in the default step.
  std::optional<std::string> precision_refusal(Precision precision, const NetworkShape&) const override {
    if (low_.available(precision)) return std::nullopt;
    return "has no " + std::string(precision_key(precision)) + " matmul kernel for this CPU in oneDNN " +
           std::to_string(dnnl::version()->major) + "." + std::to_string(dnnl::version()->minor);
  }

  // At bf16 and int8 compute_gradients is its own, not the default
  // composition: a wrapper that composed the fine ops itself (profile)
  // would run float32 products.
  std::optional<std::string> fused_step(const NetworkShape& shape) const override {
    if (precision_ == Precision::fp32) return Backend::fused_step(shape);
    return precision_ == Precision::bf16
               ? "the fine ops, the two products with the input as oneDNN bf16 matmuls"
               : "the fine ops, the products with the input as oneDNN u8 x s8 (forward) and bf16 matmuls";
  }

  // The default step, with the batch at hand so that matmul knows the
  // products with its input (by their operand) and runs them in the precision.
  void compute_gradients(const Parameters& params, const Batch& batch, Workspace& ws,
                         Parameters& grads, float scale) override {
    step_batch_ = precision_ == Precision::fp32 ? nullptr : &batch;
    Backend::compute_gradients(params, batch, ws, grads, scale);
    step_batch_ = nullptr;
  }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    const bool ta = trans_a == Transpose::yes, tb = trans_b == Transpose::yes;
    // x = pixels / 255: the products read the bytes and take the 1/255 into alpha.
    if (step_batch_ != nullptr && A == step_batch_->x && !ta && tb)
      return low_.forward(precision_, M, N, K, alpha / 255.0f, step_batch_->pixels, B, C);
    if (step_batch_ != nullptr && B == step_batch_->x && ta && !tb && beta == 0.0f)
      return low_.weight_gradient(precision_, M, N, K, alpha / 255.0f, A, step_batch_->pixels, C);
    auto [at, made] = matmuls_.try_emplace({ta, tb, M, N, K, beta});
    Prepared& p = at->second;
    if (made) {
      const memory::desc a = matrix(M, K, ta), b = matrix(K, N, tb), c = matrix(M, N, false);
      dnnl::primitive_attr attr = scratch_attr();
      // alpha at run time (it is 1/m for the weight gradients, which the
      // batch size changes); beta is fixed per primitive, as a sum post-op.
      attr.set_output_scales(0, {DNNL_RUNTIME_F32_VAL});
      if (beta != 0.0f) {
        dnnl::post_ops sum;
        sum.append_sum(beta);
        attr.set_post_ops(sum);
      }
      const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), attr, engine_);
      p.primitive = dnnl::matmul(pd);
      p.args = {{DNNL_ARG_SRC, memory(a, engine_, nullptr)},
                {DNNL_ARG_WEIGHTS, memory(b, engine_, nullptr)},
                {DNNL_ARG_DST, memory(c, engine_, nullptr)},
                {DNNL_ARG_ATTR_OUTPUT_SCALES,
                 memory({{1}, memory::data_type::f32, {1}}, engine_, &p.output_scale)},
                {DNNL_ARG_SCRATCHPAD, memory(pd.scratchpad_desc(), engine_)}};
    }
    p.output_scale = alpha;
    run(p, {{DNNL_ARG_SRC, A}, {DNNL_ARG_WEIGHTS, B}, {DNNL_ARG_DST, C}});
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    auto [at, made] = softmaxes_.try_emplace({rows, cols});
    Prepared& p = at->second;
    if (made) {
      const memory::desc data = matrix(rows, cols, false);
      const dnnl::softmax_forward::primitive_desc pd(
          dnnl::softmax_forward::desc(dnnl::prop_kind::forward_inference, data, 1), scratch_attr(),
          engine_);
      p.primitive = dnnl::softmax_forward(pd);
      p.args = {{DNNL_ARG_SRC, memory(data, engine_, nullptr)},
                {DNNL_ARG_DST, memory(data, engine_, nullptr)},
                {DNNL_ARG_SCRATCHPAD, memory(pd.scratchpad_desc(), engine_)}};
    }
    run(p, {{DNNL_ARG_SRC, Z}, {DNNL_ARG_DST, P}});
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    auto [at, made] = relus_.try_emplace(n);
    Prepared& p = at->second;
    if (made) {
      const memory::desc data({memory::dim(n)}, memory::data_type::f32, Dims{1});
      const dnnl::eltwise_forward::primitive_desc pd(
          dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference,
                                      dnnl::algorithm::eltwise_relu, data, 0.0f),
          scratch_attr(), engine_);
      p.primitive = dnnl::eltwise_forward(pd);
      p.args = {{DNNL_ARG_SRC, memory(data, engine_, nullptr)},
                {DNNL_ARG_DST, memory(data, engine_, nullptr)},
                {DNNL_ARG_SCRATCHPAD, memory(pd.scratchpad_desc(), engine_)}};
    }
    run(p, {{DNNL_ARG_SRC, Z}, {DNNL_ARG_DST, A}});
  }

 private:
  // Scratch memory is ours, made with the primitive, so that no call
  // allocates (by default oneDNN may allocate it on every execution).
  static dnnl::primitive_attr scratch_attr() {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return attr;
  }

  void run(Prepared& p, std::initializer_list<std::pair<int, const float*>> buffers) {
    // oneDNN reads its source operands only, but takes every handle as void*.
    for (const auto& [arg, data] : buffers) p.args.at(arg).set_data_handle(const_cast<float*>(data));
    p.primitive.execute(stream_, p.args);
    stream_.wait();
  }

  dnnl::engine engine_;
  dnnl::stream stream_;
  // std::map: each Prepared stays where it is, as its scale memory points into it.
  std::map<std::tuple<bool, bool, int, int, int, float>, Prepared> matmuls_;
  std::map<std::pair<int, int>, Prepared> softmaxes_;
  std::map<std::size_t, Prepared> relus_;
  LowPrecisionProducts low_;
  const Batch* step_batch_ = nullptr;  // during a low-precision compute_gradients
};

}  // namespace

std::unique_ptr<Backend> make_onednn_backend() { return std::make_unique<OnednnBackend>(); }

}  // namespace mnistbench
