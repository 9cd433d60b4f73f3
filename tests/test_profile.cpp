// `mnistbench profile` and `machine` as a user runs them, on every backend:
// the op times add up to the measured step, the trace holds exactly one slice
// per op call inside its step's slice, every op's FLOPs and bytes are the
// hand counts for the tutorial's network, profiling does not change what the
// backend computes, and --steady runs until Ctrl-C.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <cmath>
#include <vector>

#include "common/model/registry.h"
#include "tests/support/cli_runner.h"

namespace mnistbench::test {
namespace {

namespace fs = std::filesystem;

// The default step's calls for L layers: 3L - 1 products (L forward, L
// weight gradients, L - 1 input gradients), L add_bias, L - 1 ReLU forward
// and L - 1 backward, softmax, its cross-entropy gradient, L column sums and
// the update: 7L, so 14 for the tutorial's network.
constexpr int composed_calls_per_step(int layers) { return 7 * layers; }
// A fused step is one call, and the update another.
constexpr int kFusedCallsPerStep = 2;
constexpr int kSteps = 3;
// 5,000 training images: a few seconds for every backend, naive included.
constexpr int kImages = 5000;
const std::string kShortRun = "--steps 3 --dev-size 55000";

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Profile : public ::testing::TestWithParam<std::string> {
 protected:
  // These tests check sums and slices, not speed: made-up limits, for every
  // thread count a backend may use, spare each run the probe (Machine tests it).
  static void SetUpTestSuite() {
    fs::create_directories(folder());
    nlohmann::json entries = nlohmann::json::array();
    for (unsigned threads = 1; threads <= std::max(1u, std::thread::hardware_concurrency()); ++threads)
      entries.push_back({{"threads", threads}, {"isa", "made up"}, {"peak_flops_per_second", 1e11},
                         {"peak_bf16_flops_per_second", 2e11}, {"peak_int8_ops_per_second", 4e11},
                         {"read_bytes_per_second", 1e10}, {"repetitions", 1}});
    std::ofstream(limits()) << nlohmann::json{{"limits", entries}}.dump();
  }
  static void TearDownTestSuite() { fs::remove_all(folder()); }

  static fs::path folder() {
    return fs::temp_directory_path() / ("mnistbench-profile-" + std::to_string(::getpid()));
  }
  static fs::path limits() { return folder() / "limits.json"; }

  // Runs mnistbench with these arguments; the exit status, the output in `output`.
  int run(const std::string& arguments, std::string& output) {
    const fs::path out = folder() / "output.txt";
    const std::string command = std::string(MNISTBENCH_BINARY) + " " + arguments + " > " + out.string() + " 2>&1";
    const int status = std::system(command.c_str());
    output = read_text(out);
    return WEXITSTATUS(status);
  }

  // profile on the short run with a trace and JSON; returns the JSON, the trace in `trace`.
  nlohmann::json profile(const std::string& extra, nlohmann::json& trace) {
    const fs::path json_path = folder() / "profile.json", trace_path = folder() / "trace.json";
    std::string output;
    const int status = run("profile --backend " + GetParam() + " " + kShortRun + " --limits " + limits().string() +
                               " --trace " + trace_path.string() + " --json " + json_path.string() + " " + extra,
                           output);
    EXPECT_EQ(status, 0) << output;
    trace = nlohmann::json::parse(std::ifstream(trace_path));
    return nlohmann::json::parse(std::ifstream(json_path));
  }

  // Every step of a profile, plain or profiled, trains the same weights that
  // `train` does in as many steps (both with `flags`): the decorator forwards
  // each op unchanged.
  void expect_profile_trains_as_train_does(const std::string& flags) {
    const fs::path profiled = folder() / "profiled", trained = folder() / "trained";
    nlohmann::json trace;
    const nlohmann::json profile = this->profile(flags + " --save-weights " + profiled.string(), trace);
    std::string output;
    ASSERT_EQ(run("train --backend " + GetParam() + " --dev-size 55000 --iterations " +
                      std::to_string(profile["steps_trained"].get<int>()) + " " + flags + " --save-weights " +
                      trained.string(),
                  output),
              0)
        << output;
    for (const char* file : {"W1.npy", "b1.npy", "W2.npy", "b2.npy"})
      EXPECT_EQ(read_text(profiled / file), read_text(trained / file)) << file;
  }
};

// The ops' slices fill their step: within 5% in at least one recorded step.
// Not every step, and not the totals: on a shared machine the scheduler can
// take the core between two ops of any step (the gap then counts in the
// step and in no op), but not, in practice, in every one. A recorder that
// missed an op, or timed one twice, is off in every step.
void expect_ops_add_up_to_the_step(const nlohmann::json& profile, const nlohmann::json& trace) {
  EXPECT_EQ(profile["steps"], kSteps);
  EXPECT_EQ(profile["profiled_step_seconds"].size(), std::size_t(kSteps));
  std::vector<std::pair<double, double>> steps;  // start, end
  for (const nlohmann::json& event : trace["traceEvents"])
    if (event["ph"] == "X" && event["name"] == "step" && event["tid"] == 1)
      steps.emplace_back(event["ts"].get<double>(), event["ts"].get<double>() + event["dur"].get<double>());
  ASSERT_EQ(steps.size(), std::size_t(kSteps)) << trace.dump();
  std::vector<double> ops(steps.size(), 0.0);
  for (const nlohmann::json& event : trace["traceEvents"]) {
    if (event["ph"] != "X" || event["name"] == "step" || event["tid"] != 1) continue;
    const double start = event["ts"].get<double>();
    for (std::size_t i = 0; i < steps.size(); ++i)
      if (steps[i].first <= start && start < steps[i].second) ops[i] += event["dur"].get<double>();
  }
  double best = 1.0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const double length = steps[i].second - steps[i].first;
    ASSERT_GT(length, 0);
    best = std::min(best, std::abs(ops[i] - length) / length);
  }
  EXPECT_LE(best, 0.05) << "in no step do the ops add up to within 5% of it";
}

// The tutorial's network on kImages images, counted by hand (per call): a
// product of (M, K) by (K, N) is 2·M·N·K FLOPs and reads both, writes C; an
// elementwise op counts what common/model/cost_model.h says per element. A fused
// step is the step's products, 2·m·(2·784·10 + 3·10·10), and reads the
// pixel bytes and labels once.
struct HandCount {
  double flops, bytes;
};
const std::map<std::string, HandCount>& tutorial_hand_counts() {
  constexpr double m = kImages, f = 4;  // bytes per float
  static const std::map<std::string, HandCount> counts = {
      {"matmul_forward L1 (X·W1ᵀ)", {2 * m * 10 * 784, f * (m * 784 + 784 * 10 + m * 10)}},
      {"matmul_forward L2 (A1·W2ᵀ)", {2 * m * 10 * 10, f * (m * 10 + 10 * 10 + m * 10)}},
      {"matmul_weight_gradient L1 (dZ1ᵀ·X)", {2 * 10 * 784 * m, f * (10 * m + m * 784 + 10 * 784)}},
      {"matmul_weight_gradient L2 (dZ2ᵀ·A1)", {2 * 10 * 10 * m, f * (10 * m + m * 10 + 10 * 10)}},
      {"matmul_input_gradient L2 (dZ2·W2)", {2 * m * 10 * 10, f * (m * 10 + 10 * 10 + m * 10)}},
      {"add_bias L1", {m * 10, f * (2 * m * 10 + 10)}},
      {"add_bias L2", {m * 10, f * (2 * m * 10 + 10)}},
      {"relu_forward L1", {m * 10, f * 2 * m * 10}},
      {"relu_backward L1", {m * 10, f * 3 * m * 10}},
      {"softmax_rows", {4 * m * 10, f * 2 * m * 10}},
      {"softmax_cross_entropy_backward", {m * 10, f * 2 * m * 10 + m}},
      {"column_sums L1", {m * 10, f * (m * 10 + 10)}},
      {"column_sums L2", {m * 10, f * (m * 10 + 10)}},
      // Over the whole flat block, padding included, as apply_update walks it:
      // 7,960 parameters padded to 16-float views, 7,840 + 16 + 112 + 16.
      {"sgd_update", {2 * 7984, f * 3 * 7984}},
      {"fused_step", {2 * m * (2 * 784 * 10 + 3 * 10 * 10), m * (784 + 1)}},
  };
  return counts;
}

void expect_hand_counts(const nlohmann::json& profile) {
  for (const nlohmann::json& op : profile["ops"]) {
    const std::string name = op["name"].get<std::string>();
    const auto found = tutorial_hand_counts().find(name);
    if (found == tutorial_hand_counts().end()) {
      ADD_FAILURE() << "no hand count for op " << name;
      continue;
    }
    const double calls = op["calls"].get<double>();
    EXPECT_DOUBLE_EQ(op["flops"].get<double>() / calls, found->second.flops) << name << " FLOPs per call";
    EXPECT_DOUBLE_EQ(op["bytes"].get<double>() / calls, found->second.bytes) << name << " bytes per call";
  }
}

// Exactly one complete slice per call the breakdown counted, each inside a step slice.
void expect_one_slice_per_call(const nlohmann::json& profile, const nlohmann::json& trace, int calls_per_step) {
  ASSERT_TRUE(trace.contains("traceEvents")) << trace.dump();
  EXPECT_EQ(trace["displayTimeUnit"], "ms");
  std::map<std::string, std::int64_t> slices;
  std::vector<std::pair<double, double>> steps;
  for (const nlohmann::json& event : trace["traceEvents"]) {
    if (event["ph"] != "X") continue;
    for (const char* key : {"name", "ts", "dur", "pid", "tid", "args"}) EXPECT_TRUE(event.contains(key)) << key;
    ++slices[event["name"].get<std::string>()];
    const double start = event["ts"].get<double>(), end = start + event["dur"].get<double>();
    if (event["name"] == "step") steps.emplace_back(start, end);
  }
  EXPECT_EQ(slices["step"], kSteps);
  std::int64_t op_slices = 0;
  for (const nlohmann::json& op : profile["ops"]) {
    EXPECT_EQ(slices[op["name"].get<std::string>()], op["calls"].get<std::int64_t>()) << op["name"];
    op_slices += op["calls"].get<std::int64_t>();
  }
  EXPECT_EQ(op_slices, std::int64_t(kSteps) * calls_per_step);
  EXPECT_EQ(std::int64_t(trace["traceEvents"].size()), op_slices + kSteps + 2);  // + process and thread names

  for (const nlohmann::json& event : trace["traceEvents"]) {
    if (event["ph"] != "X" || event["name"] == "step") continue;
    const double start = event["ts"].get<double>(), end = start + event["dur"].get<double>();
    const auto encloses = [&](const std::pair<double, double>& step) { return step.first <= start && end <= step.second; };
    EXPECT_TRUE(std::any_of(steps.begin(), steps.end(), encloses)) << event.dump();
  }
}

TEST_P(Profile, OpsAddUpToTheStepAndTheTraceHasOneSlicePerCall) {
  nlohmann::json trace;
  const nlohmann::json profile = this->profile("", trace);
  EXPECT_EQ(profile["backend"], GetParam());
  EXPECT_EQ(profile["layers"], nlohmann::json::array({784, 10, 10}));
  expect_ops_add_up_to_the_step(profile, trace);
  // A backend with its own step shows it as one opaque call per step, and the update.
  const bool fused = profile["step"] != "fine ops";
  expect_one_slice_per_call(profile, trace, fused ? kFusedCallsPerStep : composed_calls_per_step(2));
  expect_hand_counts(profile);
}

TEST_P(Profile, UnfusedShowsEveryOpOfTheDefaultComposition) {
  nlohmann::json trace;
  const nlohmann::json profile = this->profile("--unfused", trace);
  expect_ops_add_up_to_the_step(profile, trace);
  expect_one_slice_per_call(profile, trace, composed_calls_per_step(2));
  for (const char* role : {"matmul_forward L1 (X·W1ᵀ)", "matmul_forward L2 (A1·W2ᵀ)",
                           "matmul_weight_gradient L2 (dZ2ᵀ·A1)", "matmul_input_gradient L2 (dZ2·W2)",
                           "matmul_weight_gradient L1 (dZ1ᵀ·X)"})
    EXPECT_TRUE(std::any_of(profile["ops"].begin(), profile["ops"].end(),
                            [&](const nlohmann::json& op) { return op["name"] == role && op["calls"] == kSteps; }))
        << role;
  expect_hand_counts(profile);
}

TEST_P(Profile, ProfilingDoesNotChangeTheWeights) { expect_profile_trains_as_train_does(""); }

// A backend whose lower precision lives in its own compute_gradients says so
// (fused_step), or the profiler would compose the fine ops itself, in float32.
TEST_P(Profile, ProfilingDoesNotChangeTheWeightsAtBf16) {
  if (const auto refusal = make_backend(GetParam())->precision_refusal(Precision::bf16, NetworkShape{}))
    GTEST_SKIP() << GetParam() << " " << *refusal;
  expect_profile_trains_as_train_does("--precision bf16");
}

TEST_P(Profile, TwoHiddenLayersShowEveryLayersOps) {
  nlohmann::json trace;
  const nlohmann::json profile = this->profile("--layers 784,32,16,10", trace);
  EXPECT_EQ(profile["layers"], nlohmann::json::array({784, 32, 16, 10}));
  expect_ops_add_up_to_the_step(profile, trace);
  const bool fused = profile["step"] != "fine ops";
  expect_one_slice_per_call(profile, trace, fused ? kFusedCallsPerStep : composed_calls_per_step(3));
  if (fused) return;
  for (const char* role : {"matmul_forward L3 (A2·W3ᵀ)", "matmul_weight_gradient L2 (dZ2ᵀ·A1)",
                           "matmul_input_gradient L3 (dZ3·W3)", "relu_backward L2", "column_sums L3"})
    EXPECT_TRUE(std::any_of(profile["ops"].begin(), profile["ops"].end(),
                            [&](const nlohmann::json& op) { return op["name"] == role && op["calls"] == kSteps; }))
        << role;
}

TEST_P(Profile, ShardsShowTheExchangeAsAnOp) {
  // Two shards in one process: each shard's calls, then one allreduce per
  // step (the gathering and ordered sum of --distributed), all inside the step.
  nlohmann::json trace;
  const nlohmann::json profile = this->profile("--shards 2", trace);
  expect_ops_add_up_to_the_step(profile, trace);
  const bool fused = profile["step"] != "fine ops";
  const int per_shard = fused ? kFusedCallsPerStep - 1 : composed_calls_per_step(2) - 1;  // the update once
  expect_one_slice_per_call(profile, trace, 2 * per_shard + 2);
  const auto allreduce = std::find_if(profile["ops"].begin(), profile["ops"].end(),
                                      [](const nlohmann::json& op) { return op["name"] == "allreduce"; });
  ASSERT_NE(allreduce, profile["ops"].end()) << profile.dump();
  EXPECT_EQ((*allreduce)["calls"], kSteps);
  // One add per element of the flat block (7,984 floats, padding included)
  // from the second shard; reads both shards' blocks, writes the sum.
  EXPECT_DOUBLE_EQ((*allreduce)["flops"].get<double>() / kSteps, 7984);
  EXPECT_DOUBLE_EQ((*allreduce)["bytes"].get<double>() / kSteps, 4.0 * 3 * 7984);
}

INSTANTIATE_TEST_SUITE_P(AllBackends, Profile, ::testing::ValuesIn(backend_names()),
                         [](const auto& info) { return info.param; });

// The default composition is the fine ops in float32: --unfused cannot show a lower precision.
class ProfileCli : public Cli {};

TEST_F(ProfileCli, UnfusedRefusesALowerPrecision) {
  expect_rejected(run("profile --backend naive --unfused --precision bf16 --steps 1"), 2, "--unfused");
}

TEST(Machine, WritesLimitsThatProfileCanReuse) {
  const fs::path path = fs::temp_directory_path() / ("mnistbench-machine-" + std::to_string(::getpid()) + ".json");
  const std::string binary = MNISTBENCH_BINARY;
  ASSERT_EQ(std::system((binary + " machine --threads 2 --json " + path.string() + " > /dev/null").c_str()), 0);
  const nlohmann::json json = nlohmann::json::parse(std::ifstream(path));
  const std::string reuse = binary + " profile --steps 1 --dev-size 55000 --limits " + path.string();
  EXPECT_EQ(std::system((reuse + " > /dev/null 2>&1").c_str()), 0);
  fs::remove(path);
  ASSERT_EQ(json["limits"].size(), 2u);
  EXPECT_EQ(json["limits"][0]["threads"], 1);
  EXPECT_EQ(json["limits"][1]["threads"], 2);
  for (const nlohmann::json& limits : json["limits"]) {
    EXPECT_GT(limits["peak_flops_per_second"].get<double>(), 1e9);
    EXPECT_GT(limits["read_bytes_per_second"].get<double>(), 1e8);
    EXPECT_GT(limits["full_batch_step_limit_seconds"].get<double>(), 0);
  }
  EXPECT_TRUE(json.contains("machine"));
  EXPECT_TRUE(json.contains("git_commit"));
}

TEST(Steady, RunsStepsUntilCtrlC) {
  const fs::path out = fs::temp_directory_path() / ("mnistbench-steady-" + std::to_string(::getpid()) + ".txt");
  const pid_t child = fork();
  if (child == 0) {
    std::freopen(out.c_str(), "w", stdout);
    std::freopen(out.c_str(), "a", stderr);
    execl(MNISTBENCH_BINARY, MNISTBENCH_BINARY, "profile", "--steady", "--dev-size", "55000", nullptr);
    _exit(127);
  }
  // Wait for the start line, give it a second of steps, then interrupt.
  for (int i = 0; i < 600 && read_text(out).find("until Ctrl-C") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  const std::string text = read_text(out);
  fs::remove(out);
  ASSERT_TRUE(WIFEXITED(status)) << text;
  EXPECT_EQ(WEXITSTATUS(status), 0) << text;
  EXPECT_NE(text.find("stopped after"), std::string::npos) << text;
  EXPECT_EQ(text.find("stopped after 0 steps"), std::string::npos) << text;
}

TEST(Steady, RefusesATrace) {
  const std::string command = std::string(MNISTBENCH_BINARY) + " profile --steady --trace x.json > /dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 2);
}

}  // namespace
}  // namespace mnistbench::test
