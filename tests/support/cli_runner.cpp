#include "tests/support/cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mnistbench::test {

namespace fs = std::filesystem;

void Cli::SetUp() {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  folder = fs::temp_directory_path() /
           ("mnistbench-cli-" + std::to_string(::getpid()) + "-" + test->name());
  fs::create_directories(folder);
}

void Cli::TearDown() { fs::remove_all(folder); }

Outcome Cli::run_with(const std::string& environment, const std::string& arguments) {
  const fs::path out = folder / "output.txt";
  const std::string command = environment + " " + std::string(MNISTBENCH_BINARY) + " " + arguments +
                              " > " + out.string() + " 2>&1";
  Outcome outcome;
  outcome.status = WEXITSTATUS(std::system(command.c_str()));
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  outcome.output = text.str();
  return outcome;
}

void expect_rejected(const Outcome& outcome, int status, const std::string& mentions) {
  EXPECT_EQ(outcome.status, status) << outcome.output;
  EXPECT_NE(outcome.output.find(mentions), std::string::npos) << outcome.output;
  EXPECT_EQ(std::count(outcome.output.begin(), outcome.output.end(), '\n'), 1) << outcome.output;
}

void expect_rejected_after_loading(const Outcome& outcome, int status, const std::string& mentions) {
  EXPECT_EQ(outcome.status, status) << outcome.output;
  const std::size_t last = outcome.output.rfind('\n', outcome.output.size() - 2);
  const std::string error_line = outcome.output.substr(last == std::string::npos ? 0 : last + 1);
  EXPECT_EQ(error_line.rfind("mnistbench: error: ", 0), 0u) << outcome.output;
  EXPECT_NE(error_line.find(mentions), std::string::npos) << outcome.output;
  // No line before it mentions an error.
  EXPECT_EQ(outcome.output.find("error"), outcome.output.find("mnistbench: error: ") + 12) << outcome.output;
}

}  // namespace mnistbench::test
