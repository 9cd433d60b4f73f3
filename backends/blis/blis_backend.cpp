// blis: the products through BLIS's typed API (bli_sgemm_ex), everything
// else as the shared plain loops (backends/loop_ops.h), like blas: the two
// differ only in the library behind the products. BLIS takes any row and
// column stride, so each operand is described as it lies in memory,
// transposed or not, and no copy is made here. Its threads are its own (the
// pthread flavour; FindBlisPthread.cmake says why), set through
// bli_thread_set_num_threads.
//
// Kernels: BLIS picks its "sub-configuration" (kernels and block sizes) when
// it starts, from the CPU's vendor, family and model, or from BLIS_ARCH_TYPE
// (a number in 0.9.0: the order of arch_t in blis.h, 0 = skx). On a CPU it
// does not know it takes its generic reference kernels without a word: BLIS
// 0.9.0 knows no AMD CPU after Zen 3, so on the Zen 5 (family 0x1A) this
// project runs on it took "generic". (An Intel CPU is recognised by its
// features, so only AMD's newer CPUs meet this.) There, and only when
// BLIS_ARCH_TYPE is unset, this backend passes BLIS its zen3
// sub-configuration as the context of every product, if the one CPU detector
// says the CPU has AVX2 and FMA (else haswell's, which needs the same, should
// a build lack zen3); info() says which runs and whether BLIS or this backend
// chose it. zen3 rather than skx, though this CPU has AVX-512: BLIS 0.9's skx
// has no small-matrix ("sup") kernels, so it packs the whole 59,000-image
// input for every product and its threads wait on each other. Full-batch
// step on this 2-core machine at load 8.5: zen3 41 ms on 1 thread and 44 ms
// on 2, haswell 51 and 50 (one command); skx 172 and 4,560 (another).

#include <blis.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "backends/loop_ops.h"
#include "common/platform/cpu_features.h"
#include "common/platform/errors.h"

namespace mnistbench {
namespace {

// The instruction set of BLIS's single-precision kernels for the x86
// sub-configurations of its x86_64 family build (BLIS 0.9: skx and knl run
// AVX-512 kernels, the zen ones AVX2; there is no zen4 yet).
std::string kernel_isa(const std::string& arch) {
  if (arch == "skx" || arch == "knl") return "AVX-512";
  if (arch == "haswell" || arch == "zen" || arch == "zen2" || arch == "zen3") return "AVX2+FMA";
  if (arch == "sandybridge") return "AVX";
  if (arch == "bulldozer" || arch == "piledriver" || arch == "steamroller" ||
      arch == "excavator")
    return "AVX+FMA4";
  if (arch == "penryn") return "SSE3";
  return "BLIS sub-configuration " + arch;
}

class BlisBackend final : public LoopOpsBackend {
 public:
  BlisBackend() : context_(choose_context()) {
    // A BLIS without its own threads (a serial or OpenMP build linked by
    // mistake) would make --threads mean something else here.
    if (!bli_info_get_enable_pthreads())
      throw std::runtime_error("blis: the linked BLIS is not the pthread flavour");
    // Unset, BLIS runs one thread (and reports -1); every core, like the
    // other threaded backends, until set_threads says otherwise.
    set_threads(int(std::max(1u, std::thread::hardware_concurrency())));
  }

  std::string_view name() const override { return "blis"; }

  BackendInfo info() const override {
    const std::string arch = bli_arch_string(context_.arch);
    const std::string chosen =
        context_.arch == bli_arch_query_id()
            ? ""
            : std::string(", chosen here: BLIS took ") + bli_arch_string(bli_arch_query_id());
    return {std::string("BLIS ") + bli_info_get_version_str() + " (pthreads, sub-configuration " +
                arch + chosen + ")",
            kernel_isa(arch), int(bli_thread_get_num_threads())};
  }

  void set_threads(int requested) override { bli_thread_set_num_threads(requested); }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    // op(A) (M, K) as strides over A's storage: A (M, K) row-major has row
    // stride K and column stride 1; stored (K, M) it is read down its columns.
    const bool ta = trans_a == Transpose::yes, tb = trans_b == Transpose::yes;
    const inc_t rs_a = ta ? 1 : K, cs_a = ta ? M : 1;
    const inc_t rs_b = tb ? 1 : N, cs_b = tb ? K : 1;
    // BLIS takes non-const pointers in 0.9 but reads A, B, alpha and beta
    // only; with beta == 0 it overwrites C without reading it.
    bli_sgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, M, N, K, &alpha, const_cast<float*>(A),
                 rs_a, cs_a, const_cast<float*>(B), rs_b, cs_b, &beta, C, N, 1, context_.kernels,
                 nullptr);
  }

 private:
  struct Context {
    arch_t arch;
    cntx_t* kernels;  // null: the one BLIS chose
  };

  // BLIS's own choice, unless it fell back to generic on a CPU that runs one
  // of its vector sub-configurations (the opening comment says why).
  static Context choose_context() {
    bli_init();
    const arch_t chosen = bli_arch_query_id();
    if (chosen != BLIS_ARCH_GENERIC || std::getenv("BLIS_ARCH_TYPE") != nullptr)
      return {chosen, nullptr};
    if (!cpu_has(CpuFeature::avx2) || !cpu_has(CpuFeature::fma)) return {chosen, nullptr};
    for (const arch_t arch : {BLIS_ARCH_ZEN3, BLIS_ARCH_HASWELL}) {
      // bli_gks_lookup_nat_cntx is BLIS's own look-up of a registered
      // sub-configuration; not exported from the shared library, but this
      // backend links the static one. Null when the build left it out.
      cntx_t* kernels = bli_gks_lookup_nat_cntx(arch);
      if (kernels != nullptr) return {arch, kernels};
    }
    return {chosen, nullptr};
  }

  const Context context_;
};

}  // namespace

std::unique_ptr<Backend> make_blis_backend() { return std::make_unique<BlisBackend>(); }

}  // namespace mnistbench
