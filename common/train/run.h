#pragma once
// One training run from settings to summary: what `train` prints and what
// `compare` does once per backend. Keeps the CLI to parsing and printing.

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/model/backend.h"
#include "common/train/trainer.h"

namespace mnistbench {

struct RunSettings {
  TrainOptions train;
  NetworkShape network;                   // --layers; --hidden H is {784, H, 10}
  Initialisation init = Initialisation::uniform;
  int threads = 0;                        // 0: all cores
  Precision precision = Precision::fp32;  // --precision: what the step's products run in
  int dev_size = 1000;
  std::filesystem::path init_from;        // load W{l}.npy b{l}.npy from here instead of initialising
  std::filesystem::path save_weights;     // save the trained weights here
  std::filesystem::path save_initial;     // save the initial weights and split.npy here, before training
  bool distributed = false;               // one shard of each batch per MPI rank (common/distributed/)
  int shards = 1;                         // without distributed: cut each batch into this many, here
};

struct RunSummary {
  std::string backend;
  BackendInfo info;
  RunSettings settings;
  std::string dataset;
  std::string step;                       // what the step ran: Backend::fused_step, or "fine ops"
  std::int64_t iterations = 0;            // steps actually done
  int batch_size = 0;                     // images per step
  bool interrupted = false;
  std::optional<std::int64_t> diverged_at_step;  // the loss became NaN or infinite here
  double final_loss = 0.0;                // mean cross-entropy of the final weights on the training split
  double train_accuracy = 0.0;
  std::optional<double> dev_accuracy;
  std::optional<double> test_accuracy;
  double seconds_per_iteration = 0.0;     // median step time (compute_gradients + apply_update)
  double samples_per_second = 0.0;        // batch_size / seconds_per_iteration
  int shards = 1;                         // each batch's, one per process when distributed
  int processes = 1;
  std::string sharding;                   // ShardGroup::describe(): "1 process", "MPI rank 0 of 2 (...)"
  double exchange_seconds_per_iteration = 0.0;  // median gathering and summing of gradients, in the step
  double bytes_sent_per_iteration = 0.0;  // to other processes, by this one
  // Wall time from the first step to the last: the steps and everything
  // between them (shuffling, gathering batches, progress reports).
  double training_seconds = 0.0;
  std::vector<Progress> history;          // every log_every steps
};

// What every run does before its first step: sets the backend's threads,
// checks the settings against the images and this machine (run_limits.h),
// and makes the starting weights (from the seed, or --init-from), on the
// host and in the backend's memory.
struct StartingPoint {
  Parameters host;
  Parameters params;
};
StartingPoint start_run(Backend& backend, const RunSettings& settings, const Dataset& train);

// Trains on the shards settings ask for: MPI's world when distributed (rank
// 0 alone saves weights), else settings.shards in this process.
RunSummary run_training(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        const std::function<void(const Progress&)>& report,
                        const std::atomic<bool>& stop);
// The same on a given group (the profiler's, which times the exchange).
RunSummary run_training(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        ShardGroup& group, const std::function<void(const Progress&)>& report,
                        const std::atomic<bool>& stop);

// The keys of `train --json`; compare writes one per backend.
nlohmann::json to_json(const RunSummary& summary);

}  // namespace mnistbench
