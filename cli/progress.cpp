#include "cli/progress.h"

#include <fmt/core.h>
#include <unistd.h>

#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"

namespace mnistbench {

ProgressDisplay::ProgressDisplay(std::string label, const std::string& log_path)
    : label_(std::move(label)), terminal_(isatty(fileno(stderr))), silent_(process_rank() != 0) {
  if (log_path.empty() || silent_) return;
  log_.open(log_path);
  if (!log_) throw UsageError("--log: cannot write " + log_path);
  log_ << "iteration,loss,train_accuracy,dev_accuracy,elapsed_seconds\n";
}

ProgressDisplay::~ProgressDisplay() { finish(); }

void ProgressDisplay::operator()(const Progress& p) {
  if (silent_) return;
  const std::string dev = p.dev_accuracy ? fmt::format("{:.1f}%", *p.dev_accuracy * 100) : "n/a";
  const std::string figures = fmt::format("loss {:.4f}  train {:.1f}%  dev {}  {:.1f}s", p.loss,
                                          p.train_accuracy * 100, dev, p.elapsed_seconds);
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = int(double(p.step) / p.total_steps * kWidth);
    fmt::print(stderr, "\r{}[{:=<{}}{: <{}}] {}/{}  {}\x1b[K", label_, "", filled, "",
               kWidth - filled, p.step, p.total_steps, figures);
    std::fflush(stderr);
    bar_open_ = true;
  } else {
    fmt::print(stderr, "{}iteration {}/{}  {}\n", label_, p.step, p.total_steps, figures);
  }
  if (log_.is_open())
    log_ << fmt::format("{},{:.6f},{:.6f},{},{:.3f}\n", p.step, p.loss, p.train_accuracy,
                        p.dev_accuracy ? fmt::format("{:.6f}", *p.dev_accuracy) : "",
                        p.elapsed_seconds);
}

void ProgressDisplay::finish() {
  if (bar_open_) std::fputc('\n', stderr);
  bar_open_ = false;
  if (log_.is_open()) log_.flush();
}

}  // namespace mnistbench
