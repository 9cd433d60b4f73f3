#pragma once
// The recorded calls as Chrome trace-event JSON, which Perfetto
// (ui.perfetto.dev) and chrome://tracing open: one complete ("X") slice per
// op call, each inside the slice of the step that made it; under
// --distributed, a track more per other rank with its steps and allreduces.

#include <span>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "profile/op_recorder.h"

namespace mnistbench {

// process_name labels the track, e.g. "mnistbench profile simd".
nlohmann::json chrome_trace(const OpRecorder& recorder, const std::string& process_name,
                            std::span<const RankSlice> other_ranks = {});

}  // namespace mnistbench
