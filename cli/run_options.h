#pragma once
// The options every training command shares (train, compare, profile): the
// tutorial's settings as defaults, each value checked with a one-line error.

#include <string>

#include <CLI/CLI.hpp>

#include "common/data/dataset.h"
#include "common/train/run.h"

namespace mnistbench {

struct RunOptions {
  RunSettings settings;
  DataSelection data;
  std::string init = "uniform";
  std::string schedule = "constant";      // --schedule, resolved into settings.train.schedule
  std::string layers;                     // --layers, parsed by resolved()
  std::string precision = "fp32";         // --precision, resolved into settings.precision
  int hidden = 0;                         // --hidden, shorthand for inputs,H,10
  std::string log_path;
  std::string json_path;

  // Fills settings.init, settings.train.schedule and settings.network from
  // the parsed text and resolves threads 0 to all cores (under
  // --distributed, this rank's share of them). Joins the MPI world for
  // --distributed. Throws UsageError for --layers with --hidden, or
  // --distributed in a build without MPI.
  RunSettings resolved() const;
};

void add_run_options(CLI::App& command, RunOptions& options);

// Checks a number flag: a value that is not a number, or for which valid is
// false, gets "must be <rule>, got <text>". description shows in --help.
CLI::Validator number_validator(bool (*valid)(double), const std::string& rule, const std::string& description);

}  // namespace mnistbench
