#include "common/train/run.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"
#include "common/train/metrics.h"
#include "common/data/npy.h"
#include "common/data/parameter_files.h"
#include "common/train/run_limits.h"

namespace mnistbench {

StartingPoint start_run(Backend& backend, const RunSettings& settings, const Dataset& train) {
  if (settings.threads > 0) backend.set_threads(settings.threads);
  const NetworkShape& shape = settings.network;
  // The CLI has said which backends can (select_precision); this is the check for every other caller.
  if (const auto refusal = backend.precision_refusal(settings.precision, shape))
    throw UsageError("--precision " + std::string(precision_key(settings.precision)) + ": " +
                     std::string(backend.name()) + " " + *refusal);
  backend.set_precision(settings.precision);
  if (shape.inputs() != train.image_size())
    throw UsageError("--layers: the first width is " + std::to_string(shape.inputs()) +
                     " but the images have " + std::to_string(train.image_size()) + " pixels");
  check_run_fits(settings, train.count, backend.input_form(shape) == InputForm::floats);
  StartingPoint start{Parameters(shape), backend.make_parameters(shape)};
  if (settings.init_from.empty())
    initialise(start.host, settings.init, settings.train.seed);
  else
    load_parameters(settings.init_from, start.host);
  backend.write_parameters(start.params, start.host);
  return start;
}

RunSummary run_training(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        const std::function<void(const Progress&)>& report,
                        const std::atomic<bool>& stop) {
  InProcessShards here(settings.shards);
  ShardGroup& group = settings.distributed ? join_mpi_world() : here;
  return run_training(backend, data, settings, group, report, stop);
}

RunSummary run_training(Backend& backend, const TrainingData& data, const RunSettings& settings,
                        ShardGroup& group, const std::function<void(const Progress&)>& report,
                        const std::atomic<bool>& stop) {
  const NetworkShape& shape = settings.network;
  auto [host, params] = start_run(backend, settings, data.train);
  const bool writes_files = group.rank() == 0;
  if (!settings.save_initial.empty() && writes_files) {
    save_parameters(settings.save_initial, host);
    // int64, NumPy's index type, so the peers index with it as loaded.
    const std::vector<std::int64_t> order(data.split_order.begin(), data.split_order.end());
    save_npy(settings.save_initial / "split.npy", order.data(), {int(order.size())});
  }

  RunSummary summary;
  summary.backend = std::string(backend.name());
  summary.settings = settings;
  summary.step = backend.fused_step(shape).value_or("fine ops");
  summary.dataset = data.description;
  const auto record = [&](const Progress& progress) {
    summary.history.push_back(progress);
    if (report) report(progress);
  };
  const TrainingRun run = train(backend, params, data, settings.train, group, record, stop);
  summary.diverged_at_step = run.diverged_at_step;
  summary.info = backend.info();
  summary.iterations = run.steps_done;
  summary.interrupted = run.interrupted;
  summary.batch_size = batch_size(settings.train, data.train.count);
  summary.seconds_per_iteration = run.median_step_seconds();
  summary.training_seconds = run.elapsed_seconds;
  if (summary.seconds_per_iteration > 0)
    summary.samples_per_second = summary.batch_size / summary.seconds_per_iteration;
  summary.shards = group.shards();
  summary.processes = group.processes();
  summary.sharding = group.describe();
  summary.exchange_seconds_per_iteration = run.median_exchange_seconds();
  summary.bytes_sent_per_iteration = run.bytes_sent_per_step;

  Workspace ws = backend.make_workspace(shape, 1000);
  const Evaluation on_train = evaluate(backend, params, data.train, ws);
  summary.final_loss = on_train.loss;
  // The last update itself may overflow the weights.
  if (!std::isfinite(summary.final_loss) && !summary.diverged_at_step) summary.diverged_at_step = run.steps_done;
  summary.train_accuracy = on_train.accuracy;
  if (data.dev.count > 0) summary.dev_accuracy = evaluate(backend, params, data.dev, ws).accuracy;
  if (data.test) summary.test_accuracy = evaluate(backend, params, *data.test, ws).accuracy;
  if (!settings.save_weights.empty() && writes_files) {
    backend.read_parameters(params, host);
    save_parameters(settings.save_weights, host);
  }
  return summary;
}

namespace {

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const RunSummary& s) {
  nlohmann::json history = nlohmann::json::array();
  for (const Progress& p : s.history)
    history.push_back({{"iteration", p.step},
                       {"loss", p.loss},
                       {"train_accuracy", p.train_accuracy},
                       {"dev_accuracy", optional_number(p.dev_accuracy)},
                       {"elapsed_seconds", p.elapsed_seconds}});
  const TrainOptions& t = s.settings.train;
  return {{"backend", s.backend},
          {"library", s.info.library},
          {"isa", s.info.isa},
          {"threads", s.info.threads},
          {"precision", precision_key(s.settings.precision)},
          {"seed", t.seed},
          {"iterations", s.iterations},
          {"batch_size", s.batch_size},
          {"epochs", t.full_batch() ? nlohmann::json(nullptr) : nlohmann::json(t.epochs)},
          {"alpha", t.alpha},
          {"schedule", to_string(t.schedule)},
          {"momentum", t.momentum},
          {"layers", s.settings.network.widths},
          {"step", s.step},
          {"init", s.settings.init_from.empty() ? to_string(s.settings.init) : "from " + s.settings.init_from.string()},
          {"dev_size", s.settings.dev_size},
          {"dataset", s.dataset},
          {"interrupted", s.interrupted},
          {"diverged_at_step", s.diverged_at_step ? nlohmann::json(*s.diverged_at_step) : nlohmann::json(nullptr)},
          {"final_loss", s.final_loss},
          {"train_accuracy", s.train_accuracy},
          {"dev_accuracy", optional_number(s.dev_accuracy)},
          {"test_accuracy", optional_number(s.test_accuracy)},
          {"seconds_per_iteration", s.seconds_per_iteration},
          {"samples_per_second", s.samples_per_second},
          {"shards", s.shards},
          {"processes", s.processes},
          {"sharding", s.sharding},
          {"communication_seconds_per_iteration", s.exchange_seconds_per_iteration},
          {"communication_share",
           s.seconds_per_iteration > 0 ? s.exchange_seconds_per_iteration / s.seconds_per_iteration : 0.0},
          {"bytes_sent_per_iteration", s.bytes_sent_per_iteration},
          {"training_seconds", s.training_seconds},
          {"history", history}};
}

}  // namespace mnistbench
