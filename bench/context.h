#pragma once
// What Google Benchmark's JSON "context" records beside its own (CPU count,
// caches, load): the commit, the machine, the network, and what each
// backend runs on and which step it runs for that network.

#include <memory>
#include <span>

#include "common/model/backend.h"

namespace mnistbench::bench {

void add_context(std::span<const std::unique_ptr<Backend>> backends, int requested_threads,
                 const NetworkShape& shape);

}  // namespace mnistbench::bench
