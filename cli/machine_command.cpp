// mnistbench machine: this machine's peak FLOP/s and memory bandwidth, with
// one thread and with all of them: the limits `profile` measures ops against.

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <thread>

#include "cli/commands.h"
#include "cli/limits_report.h"
#include "cli/report.h"
#include "common/platform/machine.h"

namespace mnistbench {

CommandAction add_machine_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "machine", "Probe this machine's peak single-precision FLOP/s and memory read bandwidth (a second or\n"
                 "two), with 1 thread and with --threads, and the limit of a full-batch step");
  auto threads = std::make_shared<int>(int(std::max(1u, std::thread::hardware_concurrency())));
  auto json_path = std::make_shared<std::string>();
  command->add_option("--threads", *threads, "Threads for the second probe (default: all cores)")
      ->check(CLI::PositiveNumber);
  command->add_option("--json", *json_path, "Write the figures as JSON to this file (`profile --limits` reads it)");
  return [threads, json_path] {
    const MachineInfo machine = describe_machine();
    fmt::print("machine: {} ({}), {} logical cores ({})\n", machine.cpu_model,
               machine.microarchitecture, machine.logical_cores,
               fmt::join(machine.instruction_sets, " "));
    std::vector<MachineLimits> limits{probe_machine_limits(1)};
    if (*threads > 1) limits.push_back(probe_machine_limits(*threads));
    print_machine_limits(limits);
    if (!json_path->empty()) write_json(*json_path, with_provenance(limits_json(limits)));
    return 0;
  };
}

}  // namespace mnistbench
