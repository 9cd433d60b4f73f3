#pragma once
// The check on a --backend (or --backends) value, apart from the shared run
// options so that those build without the backends (the CLI fuzz harness).

#include <CLI/CLI.hpp>

namespace mnistbench {

// Checks that a --backend value names a built-in backend, listing them if not.
CLI::Validator backend_name_validator();

}  // namespace mnistbench
