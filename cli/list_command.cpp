// mnistbench list: every backend built in, with what it uses.

#include <fmt/core.h>
#include <fmt/format.h>

#include <thread>

#include "cli/commands.h"
#include "common/machine.h"
#include "common/registry.h"

namespace mnistbench {

CommandAction add_list_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand("list", "List the backends built in, with library, instruction set and threads");
  auto threads = std::make_shared<int>(int(std::max(1u, std::thread::hardware_concurrency())));
  command->add_option("--threads", *threads, "Threads to ask each backend for (default: all cores)")
      ->check(CLI::PositiveNumber);
  return [threads] {
    const MachineInfo machine = describe_machine();
    fmt::print("machine: {}, {} logical cores, {}\n", machine.cpu_model, machine.logical_cores,
               fmt::format("{}", fmt::join(machine.instruction_sets, " ")));
    fmt::print("{:<8} {:<8} {:<22} {}\n", "backend", "threads", "instruction set", "library");
    for (const BackendEntry& entry : registered_backends()) {
      const std::unique_ptr<Backend> backend = entry.make();
      backend->set_threads(*threads);
      const BackendInfo info = backend->info();
      fmt::print("{:<8} {:<8} {:<22} {}\n", entry.name, info.threads, info.isa, info.library);
    }
    return 0;
  };
}

}  // namespace mnistbench
