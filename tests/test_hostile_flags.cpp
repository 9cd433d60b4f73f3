// Flag values a hostile or careless user gives, each of which once crashed,
// overflowed, trained for nothing or failed only after a whole run (issue
// 12's table). Each now gets one line naming the flag and exit 2 within
// seconds, before any large allocation or any training; a learning rate that
// blows the loss up stops the run with "diverged" and exit 1.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/cli_runner.h"

namespace mnistbench::test {
namespace {

namespace fs = std::filesystem;

// Trains on the 5,000 images a 55,000-image dev split leaves, for speed.
const std::string kSmall = " --dev-size 55000 --iterations 3";

TEST_F(Cli, ThreadsBeyondTheBoundAreRefused) {
  // Once an uncaught pthread_create failure (abort, exit 134) for tbb. The
  // bound is checked as the flag is parsed, whatever the backend (and in a
  // build without tbb or simd, as CI has).
  expect_rejected(run("train --threads 100000"), 2, "--threads");
  expect_rejected(run("compare --threads 257"), 2, "--threads");
}

TEST_F(Cli, StepCountsThatOverflowAreRefused) {
  // 40,000 epochs of 59,000 steps: once an int overflow ("vector::reserve").
  expect_rejected_after_loading(run("train --batch-size 1 --epochs 40000"), 2, "--epochs");
  expect_rejected(run("train --iterations 10000001"), 2, "--iterations");
}

TEST_F(Cli, ABatchLargerThanTheDataIsRefused) {
  // Once 0 steps, exit 0, and a summary of untrained weights.
  expect_rejected_after_loading(run("train --batch-size 2147483647"), 2, "--batch-size");
}

TEST_F(Cli, LayersTooWideOrTooLargeForMemoryAreRefused) {
  // Once "internal error: std::bad_alloc".
  expect_rejected(run("train --hidden 30000"), 2, "--hidden");
  expect_rejected(run("train --layers 784,30000,10"), 2, "--layers");
  // Ten layers of 16,384: 2.7 billion weights, over 600 GB with their
  // gradients and partials, more than any machine this runs on.
  std::string layers = "784";
  for (int l = 0; l < 10; ++l) layers += ",16384";
  expect_rejected_after_loading(run("train --layers " + layers + ",10"), 2, "GB");
}

TEST_F(Cli, OutputsIntoMissingFoldersAreRefusedBeforeTraining) {
  // Once the whole run trained, then failed; in compare a disagreement's exit 1 became 2.
  const std::string missing = (folder / "no-such-folder").string();
  expect_rejected(run("train --json " + missing + "/run.json"), 2, "--json");
  expect_rejected(run("train --log " + missing + "/log.csv"), 2, "--log");
  expect_rejected(run("compare --json " + missing + "/runs.json"), 2, "--json");
  expect_rejected(run("profile --backend naive --trace " + missing + "/trace.json"), 2, "--trace");
  expect_rejected(run("train --json " + folder.string()), 2, "is a folder");
  // A folder to be made under a regular file cannot be made.
  const fs::path file = folder / "a-file";
  std::ofstream(file) << "x";
  expect_rejected(run("train --save-weights " + (file / "weights").string()), 2, "--save-weights");
  expect_rejected(run("train --save-initial-weights " + (file / "w").string()), 2, "--save-initial-weights");
}

TEST_F(Cli, ALearningRateThatDivergesStopsTheRun) {
  // Once final loss nan, accuracy ~10%, exit 0.
  const Outcome outcome = run("train --alpha 1e30" + kSmall);
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("training diverged at step "), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("DIVERGED"), std::string::npos) << "the summary is still printed\n"
                                                               << outcome.output;
}

TEST_F(Cli, AnOrdinaryLearningRateDoesNotDiverge) {
  // The check must not fire on a healthy run.
  const Outcome outcome = run("train" + kSmall);
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_EQ(outcome.output.find("diverged"), std::string::npos) << outcome.output;
}

TEST_F(Cli, AValueHoldingANewlineIsStillOneLine) {
  // Found by fuzz_cli: the message quotes the value, newline and all.
  expect_rejected(run("train --json \"$(printf '" + folder.string() + "/a\\nb/run.json')\""), 2, "a\\nb");
}

}  // namespace
}  // namespace mnistbench::test
