#include "cli/run_options.h"

#include <cmath>
#include <thread>

#include "cli/output_paths.h"
#include "common/distributed/mpi_world.h"
#include "common/platform/errors.h"
#include "common/platform/executor.h"
#include "common/train/run_limits.h"

namespace mnistbench {

namespace {

template <class Number>
CLI::Validator between(Number minimum, Number maximum) {
  return CLI::Validator(
      [minimum, maximum](std::string& text) -> std::string {
        Number value{};
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a whole number";
        if (!(value >= minimum && value <= maximum))
          return "must be " + std::to_string(minimum) + " to " + std::to_string(maximum) + ", got " + text;
        return "";
      },
      std::to_string(minimum) + "-" + std::to_string(maximum));
}

template <class Number>
CLI::Validator at_least(Number minimum) {
  return CLI::Validator(
      [minimum](std::string& text) -> std::string {
        Number value{};
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a number";
        if (!(value >= minimum)) return "must be at least " + std::to_string(minimum) + ", got " + text;
        return "";
      },
      ">=" + std::to_string(minimum));
}

}  // namespace

CLI::Validator number_validator(bool (*valid)(double), const std::string& rule, const std::string& description) {
  return CLI::Validator(
      [valid, rule](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "'" + text + "' is not a number";
        if (!valid(value)) return "must be " + rule + ", got " + text;
        return "";
      },
      description);
}

void add_run_options(CLI::App& command, RunOptions& o) {
  RunSettings& s = o.settings;
  TrainOptions& t = s.train;
  command.add_option("--alpha", t.alpha, "Learning rate")->capture_default_str()->check(number_validator(
      [](double x) { return x > 0 && std::isfinite(x); }, "a positive number", ">0"));
  command.add_option("--schedule", o.schedule,
                     "Learning rate over the run: constant (alpha every step) or linear "
                     "(alpha at the first step, falling linearly to alpha/steps at the last)")
      ->capture_default_str()->check(CLI::IsMember({"constant", "linear"}));
  command.add_option("--momentum", t.momentum, "Heavy-ball momentum, 0 to below 1 (0: plain gradient descent)")
      ->capture_default_str()->check(
          number_validator([](double x) { return x >= 0 && x < 1; }, "at least 0 and below 1", "[0,1)"));
  command.add_option("--iterations", t.iterations, "Full-batch gradient-descent steps")
      ->capture_default_str()->check(between<int>(1, int(kMaxSteps)));
  command.add_option("--batch-size", t.batch_size,
                     "Images per step; 0 trains on the full batch, as the tutorial does")
      ->capture_default_str()->check(at_least(0));
  command.add_option("--epochs", t.epochs, "Passes over the training split with --batch-size > 0")
      ->capture_default_str()->check(between<int>(1, int(kMaxSteps)));
  command.add_option("--seed", t.seed, "Seed for initialisation, the dev split and batch order")
      ->capture_default_str();
  command.add_option("--layers", o.layers,
                     "Layer widths, inputs first: 784,10,10 is the tutorial's network; "
                     "784,32,16,10 has two hidden layers (ReLU between layers, softmax last)")
      ->default_str(s.network.to_string());
  command.add_option("--hidden", o.hidden, "Shorthand for --layers 784,H,10: one hidden layer of H units")
      ->check(between<int>(1, kMaxLayerWidth));
  command.add_option("--init", o.init, "Initial weights: uniform in [-0.5, 0.5) (the tutorial's) or he (He-uniform)")
      ->capture_default_str()->check(CLI::IsMember({"uniform", "he"}));
  command.add_option("--init-from", s.init_from,
                     "Start from W1.npy b1.npy ... WL.npy bL.npy in this folder (shapes must match --layers)");
  command.add_option("--save-weights", s.save_weights, "Write the trained W1.npy b1.npy ... WL.npy bL.npy here");
  command.add_option("--save-initial-weights", s.save_initial,
                     "Before training, write W1.npy b1.npy ... and split.npy (the shuffled "
                     "indices of the training file: dev = the first --dev-size, train = the rest) here");
  command.add_option("--dev-size", s.dev_size, "Images held out for the dev split (0: train on all)")
      ->capture_default_str()->check(at_least(0));
  command.add_option("--threads", s.threads,
                     "Threads for every backend that runs threads (simd, tbb, blas; default: all cores)")
      ->check(between<int>(1, Executor::kMaxThreads));
  command.add_option("--precision", o.precision,
                     "What the products with the input run in: fp32; bf16 (bf16 operands, float32 sums); "
                     "int8 (forward unsigned pixel bytes × signed-byte weights, one scale per row of W1; "
                     "backward bf16). Weights, update and everything else stay float32")
      ->capture_default_str()->check(CLI::IsMember(precision_keys()));
  command.add_option("--dataset", o.data.dataset, "mnist (data/mnist, see scripts/fetch_mnist.sh) or fashion")
      ->capture_default_str()->check(CLI::IsMember({"mnist", "fashion"}));
  command.add_option("--data", o.data.path, "A folder of the four IDX files (plain or .gz) or a Kaggle CSV");
  command.add_option("--log", o.log_path, "Write iteration, loss, accuracies and time as CSV to this file");
  command.add_option("--log-every", t.log_every, "Report progress every N iterations")
      ->capture_default_str()->check(at_least(1));
  command.add_option("--json", o.json_path, "Write the summary as JSON to this file");
  CLI::Option* distributed = command.add_flag(
      "--distributed", s.distributed,
      std::string("Data-parallel over MPI: run under `mpirun -np N`; each rank computes one shard of every\n"
                  "batch and the gradients are summed in rank order (rank 0 prints and writes files)") +
          (mpi_built_in() ? "" : "; not built in: this build has no MPI"));
  command.add_option("--shards", s.shards,
                     "Compute each batch as N shards summed in order, in this one process: the bits N\n"
                     "--distributed ranks give, for checking them")
      ->capture_default_str()->check(between<int>(1, kMaxShards))->excludes(distributed);
}

RunSettings RunOptions::resolved() const {
  RunSettings resolved = settings;
  resolved.init = init == "he" ? Initialisation::he : Initialisation::uniform;
  resolved.train.schedule = schedule == "linear" ? Schedule::linear : Schedule::constant;
  resolved.precision = parse_precision(precision);
  if (!layers.empty() && hidden > 0) throw UsageError("--hidden: give --layers or --hidden, not both");
  if (!layers.empty()) resolved.network = parse_layers(layers);
  if (hidden > 0) {
    const NetworkShape tutorial;
    resolved.network = one_hidden_layer(tutorial.inputs(), hidden, tutorial.outputs());
  }
  check_output_file("--json", json_path);
  check_output_file("--log", log_path);
  check_output_folder("--save-weights", resolved.save_weights);
  check_output_folder("--save-initial-weights", resolved.save_initial);
  if (resolved.distributed) join_mpi_world();
  if (resolved.threads == 0)
    resolved.threads = std::max(1, int(std::thread::hardware_concurrency()) / ranks_on_this_host());
  return resolved;
}

}  // namespace mnistbench
