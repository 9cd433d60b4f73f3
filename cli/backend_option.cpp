#include "cli/backend_option.h"

#include <sstream>
#include <string>

#include "common/model/registry.h"

namespace mnistbench {

CLI::Validator backend_name_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::string valid;
        for (const std::string& name : backend_names()) {
          if (name == text) return "";
          valid += (valid.empty() ? "" : ", ") + name;
        }
        return "unknown backend '" + text + "' (built in: " + valid + ")";
      },
      "BACKEND");
}

CLI::Validator backend_list_validator() {
  return CLI::Validator(
      [](std::string& list) -> std::string {
        for (std::string name : split_names(list))
          if (std::string error = backend_name_validator()(name); !error.empty()) return error;
        return split_names(list).empty() ? "give at least one backend" : "";
      },
      "NAME,...");
}

std::vector<std::string> split_names(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  for (std::string name; std::getline(in, name, ',');)
    if (!name.empty()) names.push_back(name);
  return names;
}

}  // namespace mnistbench
