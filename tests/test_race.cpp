// mnistbench race as a user meets it: the default recipe meets its target
// over ten seeds; a target out of reach or a diverged run is reported and
// exits 1; the JSON holds the recipe, every seed and the load; the peers'
// starting points are written per seed; bad flags get one line naming the flag.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/cli_runner.h"

namespace mnistbench::test {
namespace {

namespace fs = std::filesystem;

// naive, the reference, always built: every backend trains the same
// recipe to the same accuracy within compare's limits, so its accuracies
// are the recipe's (its times are the slowest).
TEST_F(Cli, TheDefaultRecipeMeetsItsTarget) {
  const fs::path json_path = folder / "race.json";
  const Outcome outcome = run("race --backends naive --json " + json_path.string());
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_NE(outcome.output.find(" met"), std::string::npos) << outcome.output;

  const nlohmann::json json = nlohmann::json::parse(std::ifstream(json_path));
  EXPECT_DOUBLE_EQ(json["target"].get<double>(), 0.92);
  for (const char* key : {"layers", "init", "batch_size", "epochs", "alpha", "schedule", "momentum", "dev_size",
                          "dataset", "seeds"})
    EXPECT_TRUE(json["recipe"].contains(key)) << key;
  EXPECT_EQ(json["recipe"]["layers"], nlohmann::json::array({784, 10, 10}));
  EXPECT_EQ(json["recipe"]["seeds"].size(), 10u);
  for (const char* key : {"machine", "git_commit", "conditions"}) EXPECT_TRUE(json.contains(key)) << key;

  const nlohmann::json& run = json["runs"].at(0);
  EXPECT_EQ(run["backend"], "naive");
  EXPECT_EQ(run["threads"], 1);
  EXPECT_TRUE(run["met"].get<bool>());
  EXPECT_TRUE(run["valid"].get<bool>());
  EXPECT_GE(run["mean_test_accuracy"].get<double>(), 0.92);
  EXPECT_LE(run["seeds_below"].get<int>(), 1);
  ASSERT_EQ(run["seeds"].size(), 10u);
  double sum = 0;
  for (const nlohmann::json& seed : run["seeds"]) {
    EXPECT_GT(seed["seconds"].get<double>(), 0.0);
    sum += seed["test_accuracy"].get<double>();
  }
  EXPECT_NEAR(sum / 10, run["mean_test_accuracy"].get<double>(), 1e-12);
  EXPECT_LE(run["q1_seconds"].get<double>(), run["median_seconds"].get<double>());
  EXPECT_LE(run["median_seconds"].get<double>(), run["q3_seconds"].get<double>());
}

TEST_F(Cli, ATargetOutOfReachIsReported) {
  // One seed may fall short without making the result invalid: it is then
  // valid but missed. Three far below it make it invalid.
  Outcome outcome = run("race --backends naive --seeds 1 --target 0.99");
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("naive: MISSED: mean test accuracy"), std::string::npos) << outcome.output;
  outcome = run("race --backends naive --seeds 3 --target 0.99");
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("naive: INVALID: 3 of 3 seeds below 98.50%"), std::string::npos) << outcome.output;
}

TEST_F(Cli, ADivergedRaceIsInvalid) {
  // A rate that overflows the weights within a step or two: no time to the
  // target counts from a run that diverged, whatever its accuracy.
  const Outcome outcome = run("race --backends naive --seeds 2 --alpha 1e30");
  EXPECT_EQ(outcome.status, 1) << outcome.output;
  EXPECT_NE(outcome.output.find("naive: INVALID: training diverged on 2 of 2 seeds"), std::string::npos)
      << outcome.output;
}

TEST_F(Cli, RaceWritesEachSeedsStartingPointForThePeers) {
  const fs::path initial = folder / "initial";
  const Outcome outcome = run("race --backends naive --seeds 2 --seed 5 --save-initial-weights " + initial.string());
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  for (const char* seed : {"seed5", "seed6"})
    for (const char* file : {"W1.npy", "b1.npy", "W2.npy", "b2.npy", "split.npy"})
      EXPECT_TRUE(fs::exists(initial / seed / file)) << seed << "/" << file;
  EXPECT_FALSE(fs::exists(initial / "seed7"));
}

TEST_F(Cli, RaceRejectsBadFlags) {
  expect_rejected(run("race --seeds 0"), 2, "--seeds");
  expect_rejected(run("race --target 0"), 2, "--target");
  expect_rejected(run("race --target 1.5"), 2, "--target");
  expect_rejected(run("race --schedule cosine"), 2, "--schedule");
  expect_rejected(run("race --momentum 1"), 2, "--momentum");
  expect_rejected(run("race --backends naive,nope"), 2, "nope");
  expect_rejected(run("race --log curve.csv"), 2, "--log");  // a race times no curve
}

}  // namespace
}  // namespace mnistbench::test
