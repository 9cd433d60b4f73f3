// mnistbench list: every backend built in, with what it uses.

#include <fmt/core.h>
#include <fmt/format.h>

#include <thread>
#include <utility>
#include <vector>

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
    // Every backend is made before anything is printed, so a backend that
    // refuses (a bad MNISTBENCH_SIMD, say) leaves one error line, not half a table.
    std::vector<std::pair<std::string_view, BackendInfo>> rows;
    std::size_t name_width = 8, isa_width = 15;
    for (const BackendEntry& entry : registered_backends()) {
      const std::unique_ptr<Backend> backend = entry.make();
      backend->set_threads(*threads);
      rows.emplace_back(entry.name, backend->info());
      name_width = std::max(name_width, entry.name.size());
      isa_width = std::max(isa_width, rows.back().second.isa.size());
    }
    const MachineInfo machine = describe_machine();
    fmt::print("machine: {}, {} logical cores, {}\n", machine.cpu_model, machine.logical_cores,
               fmt::join(machine.instruction_sets, " "));
    fmt::print("{:<{}}  {:>7}  {:<{}}  {}\n", "backend", name_width, "threads", "instruction set",
               isa_width, "library");
    for (const auto& [name, info] : rows)
      fmt::print("{:<{}}  {:>7}  {:<{}}  {}\n", name, name_width, info.threads, info.isa, isa_width,
                 info.library);
    return 0;
  };
}

}  // namespace mnistbench
