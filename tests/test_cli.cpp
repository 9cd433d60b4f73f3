// The mnistbench binary as a user meets it: bad flags and bad files get one
// line naming the flag or file and a non-zero exit; --help is there; a run
// writes the JSON it promises; Ctrl-C stops cleanly with a summary.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace mnistbench::test {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr together
};

class Cli : public ::testing::Test {
 protected:
  fs::path folder = fs::temp_directory_path() / ("mnistbench-cli-" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(folder); }
  void TearDown() override { fs::remove_all(folder); }

  Outcome run(const std::string& arguments) {
    const fs::path out = folder / "output.txt";
    const std::string command = std::string(MNISTBENCH_BINARY) + " " + arguments + " > " + out.string() + " 2>&1";
    Outcome outcome;
    outcome.status = WEXITSTATUS(std::system(command.c_str()));
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    outcome.output = text.str();
    return outcome;
  }
};

// One line, naming what is wrong, and the given exit status.
void expect_rejected(const Outcome& outcome, int status, const std::string& mentions) {
  EXPECT_EQ(outcome.status, status) << outcome.output;
  EXPECT_NE(outcome.output.find(mentions), std::string::npos) << outcome.output;
  EXPECT_EQ(std::count(outcome.output.begin(), outcome.output.end(), '\n'), 1) << outcome.output;
}

TEST_F(Cli, RejectsBadFlagValues) {
  expect_rejected(run("train --alpha -1"), 2, "--alpha");
  expect_rejected(run("train --alpha nan"), 2, "--alpha");
  expect_rejected(run("train --hidden 0"), 2, "--hidden");
  expect_rejected(run("train --iterations 0"), 2, "--iterations");
  expect_rejected(run("train --threads 0"), 2, "--threads");
  expect_rejected(run("train --batch-size -5"), 2, "--batch-size");
  expect_rejected(run("train --dataset digits"), 2, "--dataset");
  expect_rejected(run("train --init zeros"), 2, "--init");
  expect_rejected(run("train --no-such-flag"), 2, "--no-such-flag");
  expect_rejected(run("compare --backends naive,nope"), 2, "nope");
}

TEST_F(Cli, UnknownBackendListsTheValidOnes) {
  const Outcome outcome = run("train --backend nope");
  expect_rejected(outcome, 2, "unknown backend 'nope'");
  EXPECT_NE(outcome.output.find("naive"), std::string::npos);
}

TEST_F(Cli, MissingAndTruncatedDataNameTheFile) {
  expect_rejected(run("train --data " + (folder / "nowhere").string()), 1, "nowhere");
  // A folder whose training images stop short.
  const fs::path broken = folder / "broken";
  fs::create_directories(broken);
  for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    std::ofstream(broken / name, std::ios::binary) << std::string("\x00\x00\x08\x03\x00\x00\x00\x02", 8);
  expect_rejected(run("train --data " + broken.string()), 1, "train-images-idx3-ubyte");
}

TEST_F(Cli, HelpDescribesEveryCommand) {
  const Outcome top = run("--help");
  EXPECT_EQ(top.status, 0);
  for (const char* command : {"train", "compare", "list"})
    EXPECT_NE(top.output.find(command), std::string::npos) << top.output;
  const Outcome train = run("train --help");
  EXPECT_EQ(train.status, 0);
  for (const char* flag : {"--backend", "--alpha", "--iterations", "--batch-size", "--epochs", "--seed",
                           "--hidden", "--init", "--init-from", "--save-weights", "--dev-size",
                           "--threads", "--dataset", "--data", "--log", "--log-every", "--json"})
    EXPECT_NE(train.output.find(flag), std::string::npos) << flag;
}

TEST_F(Cli, ListShowsEveryBackend) {
  const Outcome outcome = run("list");
  EXPECT_EQ(outcome.status, 0);
  EXPECT_NE(outcome.output.find("naive"), std::string::npos);
}

TEST_F(Cli, TrainWritesTheSummaryJsonAndLog) {
  const fs::path json_path = folder / "summary.json", log_path = folder / "log.csv";
  const Outcome outcome = run("train --backend naive --iterations 3 --log-every 1 --dev-size 59000 --json " +
                              json_path.string() + " --log " + log_path.string() + " --save-weights " +
                              (folder / "weights").string());
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  const nlohmann::json summary = nlohmann::json::parse(std::ifstream(json_path));
  for (const char* key : {"backend", "threads", "seed", "iterations", "batch_size", "final_loss",
                          "train_accuracy", "dev_accuracy", "test_accuracy", "seconds_per_iteration",
                          "samples_per_second", "machine", "git_commit"})
    EXPECT_TRUE(summary.contains(key)) << key;
  EXPECT_EQ(summary["iterations"], 3);
  EXPECT_EQ(summary["batch_size"], 1000);
  EXPECT_LE(summary["test_accuracy"].get<double>(), 1.0);
  std::ifstream log(log_path);
  std::string header, line;
  std::getline(log, header);
  EXPECT_EQ(header, "iteration,loss,train_accuracy,dev_accuracy,elapsed_seconds");
  int rows = 0;
  while (std::getline(log, line)) ++rows;
  EXPECT_EQ(rows, 3);
  EXPECT_TRUE(fs::exists(folder / "weights" / "W1.npy"));
  // Starting again from the saved weights is accepted.
  EXPECT_EQ(run("train --iterations 1 --dev-size 59000 --init-from " + (folder / "weights").string()).status, 0);
}

TEST_F(Cli, CtrlCStopsCleanlyWithASummary) {
  const fs::path out = folder / "interrupted.txt";
  const pid_t child = fork();
  if (child == 0) {
    std::freopen(out.c_str(), "w", stdout);
    std::freopen(out.c_str(), "a", stderr);
    execl(MNISTBENCH_BINARY, MNISTBENCH_BINARY, "train", "--iterations", "100000", "--dev-size", "59000",
          "--log-every", "1", nullptr);
    _exit(127);
  }
  // Wait until training has started (the first progress line), then interrupt.
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("iteration 1/") != std::string::npos) break;
  }
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  ASSERT_TRUE(WIFEXITED(status)) << text.str();
  EXPECT_EQ(WEXITSTATUS(status), 130) << text.str();
  EXPECT_NE(text.str().find("INTERRUPTED"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("final loss"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace mnistbench::test
