#include "bench/context.h"

#include <benchmark/benchmark.h>

#include <string>

#include "common/platform/machine.h"

namespace mnistbench::bench {

void add_context(std::span<const std::unique_ptr<Backend>> backends, int requested_threads,
                 const NetworkShape& shape) {
  const MachineInfo machine = describe_machine();
  std::string instruction_sets;
  for (const std::string& set : machine.instruction_sets)
    instruction_sets += (instruction_sets.empty() ? "" : " ") + set;

  benchmark::AddCustomContext("git_commit", git_commit());
  benchmark::AddCustomContext("cpu_model", machine.cpu_model);
  benchmark::AddCustomContext("microarchitecture", machine.microarchitecture);
  benchmark::AddCustomContext("instruction_sets", instruction_sets);
  benchmark::AddCustomContext("compiler", machine.compiler);
  // OpenBLAS picks its kernels from the CPU unless this forces a core.
  benchmark::AddCustomContext("openblas_coretype",
                              machine.openblas_coretype.empty() ? "(unset)" : machine.openblas_coretype);
  benchmark::AddCustomContext("mnistbench_threads", std::to_string(requested_threads));
  benchmark::AddCustomContext("layers", shape.to_string());
  for (const auto& backend : backends) {
    const BackendInfo info = backend->info();
    const std::string key = "backend." + std::string(backend->name());
    benchmark::AddCustomContext(key + ".library", info.library);
    benchmark::AddCustomContext(key + ".isa", info.isa);
    benchmark::AddCustomContext(key + ".threads", std::to_string(info.threads));
    // As `train` reports it: the fused step's words, or the default composition.
    benchmark::AddCustomContext(key + ".step", backend->fused_step(shape).value_or("fine ops"));
  }
}

}  // namespace mnistbench::bench
