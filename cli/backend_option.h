#pragma once
// The check on a --backend (or --backends) value, apart from the shared run
// options so that those build without the backends (the CLI fuzz harness).

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace mnistbench {

// Checks that a --backend value names a built-in backend, listing them if not.
CLI::Validator backend_name_validator();

// Checks a --backends value: comma-separated built-in backends, at least one.
CLI::Validator backend_list_validator();

// "naive,simd" -> {"naive", "simd"}; empty names are dropped.
std::vector<std::string> split_names(const std::string& list);

}  // namespace mnistbench
