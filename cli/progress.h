#pragma once
// How a long run shows it is alive: a progress bar redrawn in place on a
// terminal, plain lines when the output is a file or a pipe, and optionally
// a CSV log (--log FILE). Under --distributed, rank 0's alone.

#include <cstdio>
#include <fstream>
#include <string>

#include "common/train/trainer.h"

namespace mnistbench {

class ProgressDisplay {
 public:
  // label prefixes each line (the backend's name in `compare`); log_path may be empty.
  ProgressDisplay(std::string label, const std::string& log_path);
  ~ProgressDisplay();

  void operator()(const Progress& progress);
  // Ends the bar's line so the summary starts on a fresh one.
  void finish();

 private:
  std::string label_;
  bool terminal_;
  bool silent_;  // a rank other than 0
  bool bar_open_ = false;
  std::ofstream log_;
};

}  // namespace mnistbench
