#pragma once
// The mnistbench binary run as a user runs it, for the tests that check what
// a user sees: exit status and output, and the one-line errors.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace mnistbench::test {

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr together
};

// A fixture with a fresh temporary folder per test, removed afterwards.
class Cli : public ::testing::Test {
 protected:
  std::filesystem::path folder;
  void SetUp() override;
  void TearDown() override;

  Outcome run(const std::string& arguments) { return run_with("", arguments); }
  // With environment assignments ("NAME=value ...") before the command.
  Outcome run_with(const std::string& environment, const std::string& arguments);
  // Started by a launcher ("mpirun -np 2"), which runs the binary itself.
  Outcome run_under(const std::string& launcher, const std::string& arguments) {
    return run_with(launcher, arguments);
  }
};

// One line, naming what is wrong, and the given exit status.
void expect_rejected(const Outcome& outcome, int status, const std::string& mentions);

// For what is found once the data is loaded (and its one line printed): the
// output ends with one error line, which names what is wrong.
void expect_rejected_after_loading(const Outcome& outcome, int status, const std::string& mentions);

}  // namespace mnistbench::test
