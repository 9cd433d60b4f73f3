#pragma once
// The subcommands of mnistbench. Each add_* function registers one on the
// app and returns the function to run when it was chosen (its exit code).

#include <functional>

#include <CLI/CLI.hpp>

namespace mnistbench {

using CommandAction = std::function<int()>;

CommandAction add_train_command(CLI::App& app);
CommandAction add_list_command(CLI::App& app);
CommandAction add_compare_command(CLI::App& app);
CommandAction add_profile_command(CLI::App& app);
CommandAction add_machine_command(CLI::App& app);
CommandAction add_race_command(CLI::App& app);

}  // namespace mnistbench
