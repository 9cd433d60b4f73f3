#include "common/platform/machine_load.h"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace mnistbench {

std::optional<MachineLoad> read_machine_load() {
  MachineLoad load;
  std::ifstream loadavg("/proc/loadavg");
  if (!(loadavg >> load.load_1min >> load.load_5min >> load.load_15min)) return std::nullopt;
  // /proc/stat's procs_running is the runnable tasks this instant, this one
  // (reading the file) among them.
  std::ifstream stat("/proc/stat");
  for (std::string key; stat >> key;) {
    if (key == "procs_running") {
      int running = 0;
      if (!(stat >> running)) return std::nullopt;
      load.other_running = std::max(0, running - 1);
      return load;
    }
    stat.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

nlohmann::json to_json(const std::optional<MachineLoad>& load) {
  if (!load) return nullptr;
  return {{"load_average", {load->load_1min, load->load_5min, load->load_15min}},
          {"other_running_processes", load->other_running}};
}

bool LoadWindow::busy(int logical_cores) const {
  for (const std::optional<MachineLoad>& load : {before, after})
    if (load && load->load_1min > logical_cores) return true;
  return false;
}

std::string LoadWindow::describe() const {
  if (!before || !after) return "load unknown (no /proc/loadavg)";
  return fmt::format("load {:.2f} -> {:.2f} (1 min), {} -> {} other running processes", before->load_1min,
                     after->load_1min, before->other_running, after->other_running);
}

nlohmann::json to_json(const LoadWindow& window) {
  return {{"before", to_json(window.before)}, {"after", to_json(window.after)}};
}

}  // namespace mnistbench
