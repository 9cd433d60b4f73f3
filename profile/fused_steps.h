#pragma once
// Whether a backend replaces the default forward() or train_step() with its
// own fused version. A fused step calls its ops on itself, past any wrapper,
// so the profiler has to know to time it as one opaque call instead.

#include "common/backend.h"

namespace mnistbench {

bool overrides_forward(Backend& backend);
bool overrides_train_step(Backend& backend);

}  // namespace mnistbench
