#include "profile/chrome_trace.h"

#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace mnistbench {

namespace {

// The steps run on the calling thread; the trace shows it as one track.
constexpr int kThread = 1;

// The sizes an event carries, under the names its op uses for them.
nlohmann::json size_args(const OpEvent& e) {
  switch (e.op.kind) {
    case OpKind::matmul_forward:
    case OpKind::matmul_weight_gradient:
    case OpKind::matmul_input_gradient: return {{"M", e.sizes[0]}, {"N", e.sizes[1]}, {"K", e.sizes[2]}};
    case OpKind::add_bias:
    case OpKind::softmax_rows:
    case OpKind::softmax_cross_entropy_backward:
    case OpKind::column_sums: return {{"rows", e.sizes[0]}, {"cols", e.sizes[1]}};
    case OpKind::relu_forward:
    case OpKind::relu_backward:
    case OpKind::sgd_update: return {{"n", e.sizes[0]}};
    case OpKind::allreduce: return {{"n", e.sizes[0]}, {"shards", e.sizes[1]}};
    case OpKind::fused_step:
    case OpKind::step: break;
  }
  return {{"batch", e.sizes[0]}};
}

}  // namespace

nlohmann::json chrome_trace(const OpRecorder& recorder, const std::string& process_name,
                            std::span<const RankSlice> other_ranks) {
  const auto events = recorder.events();
  std::int64_t origin = 0;
  if (!events.empty())
    origin = std::min_element(events.begin(), events.end(), [](const OpEvent& a, const OpEvent& b) {
               return a.start_ns < b.start_ns;
             })->start_ns;
  const int pid = int(::getpid());

  nlohmann::json trace_events = nlohmann::json::array();
  trace_events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"tid", kThread},
                          {"args", {{"name", process_name}}}});
  trace_events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", kThread},
                          {"args", {{"name", other_ranks.empty() ? "train_step" : "rank 0: train_step"}}}});
  int step = 0;
  for (const OpEvent& e : events) {
    nlohmann::json args = size_args(e);
    args["flops"] = e.cost.flops;
    args["bytes"] = e.cost.bytes;
    const bool is_step = e.op.kind == OpKind::step;
    if (is_step) args["step"] = ++step;
    trace_events.push_back({{"name", op_name(e.op)},
                            {"cat", is_step ? "step" : "op"},
                            {"ph", "X"},
                            {"ts", double(e.start_ns - origin) / 1e3},
                            {"dur", double(e.end_ns - e.start_ns) / 1e3},
                            {"pid", pid},
                            {"tid", kThread},
                            {"args", args}});
  }
  // Rank r's track is thread kThread + r, named after it.
  int named = 0;
  for (const RankSlice& slice : other_ranks) {
    const int tid = kThread + slice.rank;
    if (slice.rank > named) {
      named = slice.rank;
      trace_events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", tid},
                              {"args", {{"name", "rank " + std::to_string(slice.rank)}}}});
    }
    trace_events.push_back({{"name", std::string(kind_name(slice.kind))},
                            {"cat", slice.kind == OpKind::step ? "step" : "op"},
                            {"ph", "X"},
                            {"ts", double(slice.start_ns - origin) / 1e3},
                            {"dur", double(slice.end_ns - slice.start_ns) / 1e3},
                            {"pid", pid},
                            {"tid", tid}});
  }
  return {{"traceEvents", trace_events}, {"displayTimeUnit", "ms"}};
}

}  // namespace mnistbench
