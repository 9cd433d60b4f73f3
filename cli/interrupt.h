#pragma once
// Ctrl-C during training: the first one asks the loop to stop after the
// current step (so the summary is still printed); a second one kills as usual.

#include <atomic>

namespace mnistbench {

// Installs the SIGINT handler; returns the flag it sets.
const std::atomic<bool>& stop_on_interrupt();

}  // namespace mnistbench
