#include "common/model/registry.h"

#include "common/platform/errors.h"

namespace mnistbench {

#define MNISTBENCH_BACKEND(name, ident) std::unique_ptr<Backend> make_##ident##_backend();
#include "backend_list.inc"
#undef MNISTBENCH_BACKEND

namespace {

constexpr BackendEntry kBackends[] = {
#define MNISTBENCH_BACKEND(name, ident) {name, &make_##ident##_backend},
#include "backend_list.inc"
#undef MNISTBENCH_BACKEND
};

}  // namespace

std::span<const BackendEntry> registered_backends() { return kBackends; }

std::vector<std::string> backend_names() {
  std::vector<std::string> names;
  for (const BackendEntry& entry : kBackends) names.emplace_back(entry.name);
  return names;
}

std::unique_ptr<Backend> make_backend(std::string_view name) {
  for (const BackendEntry& entry : kBackends)
    if (entry.name == name) return entry.make();
  std::string valid;
  for (const BackendEntry& entry : kBackends) valid += (valid.empty() ? "" : ", ") + std::string(entry.name);
  throw UsageError("--backend: unknown backend '" + std::string(name) + "' (built in: " + valid + ")");
}

void select_precision(Backend& backend, Precision precision, const NetworkShape& shape) {
  const std::optional<std::string> refusal = backend.precision_refusal(precision, shape);
  if (!refusal) return backend.set_precision(precision);
  std::string able;
  for (const BackendEntry& entry : kBackends)
    if (!entry.make()->precision_refusal(precision, shape))
      able += (able.empty() ? "" : ", ") + std::string(entry.name);
  throw UsageError("--precision " + std::string(precision_key(precision)) + ": " +
                   std::string(backend.name()) + " " + *refusal + " (here " +
                   (able.empty() ? "no backend" : able) + " can)");
}

}  // namespace mnistbench
