// --distributed under mpirun: N ranks give bit-identical weights to one
// process computing the same N shards in order (--shards N), at N = 1, 2
// and 3, at full batch and with mini-batches whose last one leaves shards
// empty; rank 0 alone prints and writes; and a build without MPI refuses
// the option in one line.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/distributed/mpi_world.h"
#include "tests/support/cli_runner.h"
#include "tests/support/data_files.h"

namespace mnistbench::test {
namespace {

namespace fs = std::filesystem;

// A small CSV of made-up images (a few seconds for 24 runs under the
// sanitizers, where the real MNIST's evaluation alone takes seconds a run):
// 1,101 images, 100 held out, leave 1,001 to train on.
constexpr int kImages = 1101;
const std::string kSplit = " --dev-size 100";
const std::string kFullBatch = kSplit + " --iterations 2";
// Batches of 500: the last one is one image, so two or three ranks leave shards empty.
const std::string kMiniBatches = kSplit + " --batch-size 500 --epochs 1";

class Distributed : public Cli {
 protected:
  void SetUp() override {
    Cli::SetUp();
    if (!mpi_built_in()) GTEST_SKIP() << "this build has no MPI (see NoMpi for what it does instead)";
    std::string csv = csv_header() + "\n";
    for (int i = 0; i < kImages; ++i) csv += csv_row(i % 10, i) + "\n";
    write_file(folder / "train.csv", csv);
  }

  std::string data() const { return " --data " + (folder / "train.csv").string(); }

  // As root mpirun needs --allow-run-as-root; 3 ranks on a 2-core machine
  // need --oversubscribe. In the AddressSanitizer build, LeakSanitizer finds
  // allocations that Open MPI's plugins never free (MPI_Init's, in modules
  // it loads and unloads, so no suppression can name them): the ranks run
  // without leak detection, which the same code checks in one process
  // (--shards, test_shards).
  static std::string mpirun(int ranks) {
#ifdef MNISTBENCH_MPIEXEC
    return std::string(MNISTBENCH_MPIEXEC) + " --allow-run-as-root --oversubscribe -x ASAN_OPTIONS=detect_leaks=0 -np " +
           std::to_string(ranks);
#else
    (void)ranks;
    ADD_FAILURE() << "MPI is built in but CMake found no mpirun (MPIEXEC_EXECUTABLE)";
    return "false";
#endif
  }

  static std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    return content.str();
  }

  // Every .npy the run saved, byte for byte.
  void expect_same_weights(const fs::path& expected, const fs::path& actual, const std::string& what) {
    int files = 0;
    for (const auto& entry : fs::directory_iterator(expected)) {
      ++files;
      const fs::path other = actual / entry.path().filename();
      ASSERT_TRUE(fs::exists(other)) << what << ": " << other << " missing";
      EXPECT_EQ(bytes_of(entry.path()), bytes_of(other)) << what << ": " << entry.path().filename() << " differs";
    }
    EXPECT_EQ(files, 4) << what << ": W1 b1 W2 b2 expected in " << expected;
  }
};

TEST_F(Distributed, RanksGiveTheBitsOfOneProcessComputingTheirShards) {
  for (const std::string backend : {"naive", "simd"})
    for (const auto& [mode, settings] : {std::pair{"full batch", kFullBatch}, std::pair{"mini-batches", kMiniBatches}})
      for (int ranks : {1, 2, 3}) {
        const std::string what = backend + ", " + mode + ", " + std::to_string(ranks) + " ranks";
        const fs::path here = folder / "here", there = folder / "there";
        fs::remove_all(here);
        fs::remove_all(there);
        const std::string common = "train --backend " + backend + data() + settings + " --save-weights ";
        const Outcome one = run(common + here.string() + " --shards " + std::to_string(ranks));
        ASSERT_EQ(one.status, 0) << what << "\n" << one.output;
        const Outcome many = run_under(mpirun(ranks), common + there.string() + " --distributed");
        ASSERT_EQ(many.status, 0) << what << "\n" << many.output;
        expect_same_weights(here, there, what);
      }
}

TEST_F(Distributed, RankZeroAlonePrintsAndWrites) {
  const fs::path json = folder / "run.json";
  const Outcome outcome =
      run_under(mpirun(2), "train --backend simd" + data() + kFullBatch + " --distributed --json " + json.string());
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  const auto count = [&](const std::string& text) {
    std::size_t n = 0;
    for (std::size_t at = outcome.output.find(text); at != std::string::npos; at = outcome.output.find(text, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("data: "), 1u) << outcome.output;
  EXPECT_EQ(count("final loss"), 1u) << outcome.output;
  EXPECT_EQ(count("MPI rank 0 of 2"), 1u) << outcome.output;

  std::ifstream in(json);
  const nlohmann::json run = nlohmann::json::parse(in);
  EXPECT_EQ(run["processes"], 2);
  EXPECT_EQ(run["shards"], 2);
  // 784-10-10: 7,960 parameters (and the padding between views) sent once to the other rank.
  EXPECT_GE(run["bytes_sent_per_iteration"].get<double>(), 7960.0 * 4);
  const double share = run["communication_share"];
  EXPECT_GT(share, 0.0);
  EXPECT_LT(share, 1.0);
}

TEST_F(Distributed, TheProfileShowsTheAllreduceAndTheTraceASlicePerRank) {
  const fs::path trace_path = folder / "trace.json";
  const Outcome outcome = run_under(mpirun(2), "profile --backend simd --steps 3" + data() + kSplit +
                                                   " --distributed --trace " + trace_path.string());
  ASSERT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("allreduce"), std::string::npos) << outcome.output;
  std::ifstream in(trace_path);
  const nlohmann::json trace = nlohmann::json::parse(in);
  std::map<std::pair<int, std::string>, int> slices;  // (track, name)
  for (const nlohmann::json& event : trace["traceEvents"])
    if (event["ph"] == "X") ++slices[{event["tid"].get<int>(), event["name"].get<std::string>()}];
  // Rank 0's track (1) and rank 1's (2): three steps and three allreduces each.
  for (int track : {1, 2}) {
    EXPECT_EQ((slices[{track, "step"}]), 3) << trace.dump();
    EXPECT_EQ((slices[{track, "allreduce"}]), 3) << trace.dump();
  }
}

TEST_F(Distributed, ADataErrorOnEveryRankEndsTheJob) {
  // Each rank fails alike; none is left waiting for another.
  const Outcome outcome = run_under(mpirun(2), "train --distributed --data " + (folder / "none").string());
  EXPECT_NE(outcome.status, 0) << outcome.output;
  EXPECT_NE(outcome.output.find("mnistbench: error: "), std::string::npos) << outcome.output;
}

TEST_F(Cli, ShardsAndDistributedAreOneOrTheOther) {
  expect_rejected(run("train --shards 2 --distributed"), 2, "--shards");
  expect_rejected(run("train --shards 0"), 2, "--shards");
}

TEST_F(Cli, NoMpiRefusesDistributedInOneLine) {
  if (mpi_built_in()) GTEST_SKIP() << "MPI is built in: Distributed.* test the option itself";
  expect_rejected(run("train --distributed"), 2, "--distributed: this build has no MPI");
}

}  // namespace
}  // namespace mnistbench::test
