#include "cli/backend_option.h"

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

}  // namespace mnistbench
