// mnistbench list: every backend built in, with what it uses.

#include <fmt/core.h>
#include <fmt/format.h>

#include <thread>
#include <vector>

#include "cli/commands.h"
#include "common/platform/machine.h"
#include "common/model/registry.h"

namespace mnistbench {

CommandAction add_list_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "list", "List the backends built in: library, instruction set, threads, and the step each runs");
  auto threads = std::make_shared<int>(int(std::max(1u, std::thread::hardware_concurrency())));
  auto layers = std::make_shared<std::string>(NetworkShape().to_string());
  command->add_option("--threads", *threads, "Threads to ask each backend for (default: all cores)")
      ->check(CLI::PositiveNumber);
  command->add_option("--layers", *layers, "The network whose step to describe")->capture_default_str();
  return [threads, layers] {
    const NetworkShape shape = parse_layers(*layers);
    // Every backend is made before anything is printed, so a backend that
    // refuses (a bad MNISTBENCH_SIMD, say) leaves one error line, not half a table.
    struct Row {
      std::string_view name;
      BackendInfo info;
      std::string step;
    };
    std::vector<Row> rows;
    std::size_t name_width = 8, isa_width = 15;
    for (const BackendEntry& entry : registered_backends()) {
      const std::unique_ptr<Backend> backend = entry.make();
      backend->set_threads(*threads);
      rows.push_back({entry.name, backend->info(), backend->fused_step(shape).value_or("fine ops")});
      name_width = std::max(name_width, entry.name.size());
      isa_width = std::max(isa_width, rows.back().info.isa.size());
    }
    const MachineInfo machine = describe_machine();
    fmt::print("machine: {} ({}), {} logical cores, {}\n", machine.cpu_model,
               machine.microarchitecture, machine.logical_cores,
               fmt::join(machine.instruction_sets, " "));
    fmt::print("{:<{}}  {:>7}  {:<{}}  {}\n", "backend", name_width, "threads", "instruction set",
               isa_width, "library");
    for (const Row& row : rows)
      fmt::print("{:<{}}  {:>7}  {:<{}}  {}\n", row.name, name_width, row.info.threads, row.info.isa,
                 isa_width, row.info.library);
    fmt::print("\nthe step each runs for layers {}:\n", shape.to_string());
    for (const Row& row : rows) fmt::print("{:<{}}  {}\n", row.name, name_width, row.step);
    return 0;
  };
}

}  // namespace mnistbench
