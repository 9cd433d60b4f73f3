#pragma once
// Printing and saving results: readable on the terminal, parseable as JSON,
// with the machine and the commit recorded beside every figure.

#include <string>

#include <nlohmann/json.hpp>

#include "common/train/run.h"
#include "common/data/training_data.h"

namespace mnistbench {

// Loads and splits the data, printing what was loaded.
TrainingData load_training_data(const DataSelection& selection, int dev_size, std::uint64_t seed);

void print_summary(const RunSummary& summary);

// {"machine": ..., "git_commit": ..., plus body}
nlohmann::json with_provenance(nlohmann::json body);

void write_json(const std::string& path, const nlohmann::json& json);

// "85.32%" or "n/a"
std::string percent(const std::optional<double>& fraction);

}  // namespace mnistbench
