// mnistbench: compare compute backends training the same small network on MNIST.

#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <map>

#include "cli/commands.h"
#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"

namespace {

// One line on stderr, from every rank that fails under --distributed (the
// others then stop too, rather than wait for it: a file missing on one host
// shows which).
int fail(int exit_code, const char* kind, const std::exception& error) {
  using namespace mnistbench;
  const std::string where = process_rank() == 0 ? "" : fmt::format(" (rank {})", process_rank());
  fmt::print(stderr, "mnistbench{}: {}: {}\n", where, kind, one_line(error.what()));
  abort_all_ranks(exit_code);
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mnistbench;
  CLI::App app("mnistbench: interchangeable compute backends train the same network (the\n"
               "tutorial's 784-10-10 by default, or any --layers) on MNIST from the same seed,\n"
               "so their accuracy and speed compare directly.");
  app.require_subcommand(1);
  const std::map<std::string, CommandAction> actions = {
      {"train", add_train_command(app)},
      {"compare", add_compare_command(app)},
      {"race", add_race_command(app)},
      {"list", add_list_command(app)},
      {"profile", add_profile_command(app)},
      {"machine", add_machine_command(app)},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    fmt::print(stderr, "mnistbench: error: {} (see --help)\n", one_line(error.what()));
    return 2;
  }

  try {
    return actions.at(app.get_subcommands().front()->get_name())();
  } catch (const UsageError& error) {
    return fail(2, "error", error);
  } catch (const DataError& error) {
    return fail(1, "error", error);
  } catch (const std::exception& error) {
    return fail(3, "internal error", error);
  }
}
