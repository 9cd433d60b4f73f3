#pragma once
// What Google Benchmark's JSON "context" records beside its own (CPU count,
// caches, load): the commit, the machine, and what each backend runs on.

#include <memory>
#include <span>

#include "common/backend.h"

namespace mnistbench::bench {

void add_context(std::span<const std::unique_ptr<Backend>> backends, int requested_threads);

}  // namespace mnistbench::bench
