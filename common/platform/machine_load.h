#pragma once
// How busy the machine is around a measurement: the kernel's load averages
// and the processes running at that moment besides this one. Recorded before
// and after every compare and race, so that a figure taken while a neighbour
// built something says so.

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace mnistbench {

struct MachineLoad {
  double load_1min = 0.0;  // /proc/loadavg: runnable and uninterruptible tasks,
  double load_5min = 0.0;  // averaged over 1, 5 and 15 minutes
  double load_15min = 0.0;
  int other_running = 0;   // runnable tasks now (/proc/stat procs_running), less this one
};

// Nothing where /proc is not Linux's.
std::optional<MachineLoad> read_machine_load();

// {"load_average": [1, 5, 15 min], "other_running_processes": n}, or null.
nlohmann::json to_json(const std::optional<MachineLoad>& load);

// The load before and after a measurement, and the verdict on it.
struct LoadWindow {
  std::optional<MachineLoad> before;
  std::optional<MachineLoad> after;

  // The 1-minute load at either end above the logical cores: the
  // measurement shared the CPUs with other work.
  bool busy(int logical_cores) const;
  // "load 0.41 -> 1.37 (1 min), 0 -> 1 other running processes"
  std::string describe() const;
};

nlohmann::json to_json(const LoadWindow& window);

}  // namespace mnistbench
