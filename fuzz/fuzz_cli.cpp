// The options train, compare and profile share (cli/run_options.cpp) on
// arbitrary command lines: the input, split at NUL bytes, is the argument
// list. CLI11's parse errors and the UsageError of the checks after it are
// the expected refusals; anything else escapes and is a finding. (It found
// that a message quoting an argument that holds a newline spanned two lines:
// main now prints every message through one_line, and test_hostile_flags
// keeps the case.) Output paths are only checked, never written.

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/run_options.h"
#include "common/platform/errors.h"

using namespace mnistbench;

namespace {

// More arguments than any real command line here has.
constexpr std::size_t kMaxArguments = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The arguments after the program's name; "a\0b" is two, "" none.
  std::vector<std::string> arguments;
  if (size > 0) arguments.emplace_back();
  for (std::size_t i = 0; i < size && arguments.size() <= kMaxArguments; ++i) {
    if (data[i] == '\0')
      arguments.emplace_back();
    else
      arguments.back() += char(data[i]);
  }
  // CLI11 takes the arguments last first.
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  // A parser per input, as the CLI builds one per run. (Reusing one through
  // CLI11's clear() is ten times faster, but clear() keeps each parse's
  // order of options, so memory grew with every input until libFuzzer's limit.)
  CLI::App app("fuzz");
  RunOptions options;
  add_run_options(app, options);
  try {
    app.parse(reversed);
    options.resolved();
  } catch (const CLI::ParseError&) {
  } catch (const UsageError&) {
  }
  return 0;
}
