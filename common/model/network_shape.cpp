#include "common/model/network_shape.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "common/platform/errors.h"

namespace mnistbench {

std::size_t NetworkShape::parameter_count() const {
  std::size_t n = 0;
  for (int l = 1; l <= layers(); ++l) n += weight_count(l) + std::size_t(fan_out(l));
  return n;
}

int NetworkShape::widest_output() const {
  return *std::max_element(widths.begin() + 1, widths.end());
}

std::string NetworkShape::to_string() const {
  return fmt::format("{}", fmt::join(widths, ","));
}

NetworkShape one_hidden_layer(int inputs, int hidden, int outputs) {
  return NetworkShape{{inputs, hidden, outputs}};
}

NetworkShape parse_layers(std::string_view text) {
  const std::string quoted = "--layers: '" + std::string(text) + "': ";
  NetworkShape shape;
  shape.widths.clear();
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view item = text.substr(start, comma - start);
    int width = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), width);
    if (item.empty() || error != std::errc() || end != item.data() + item.size())
      throw UsageError(quoted + "'" + std::string(item) + "' is not a whole number (expected widths like 784,10,10)");
    if (width < 1 || width > kMaxLayerWidth)
      throw UsageError(quoted + "each width must be 1 to " + std::to_string(kMaxLayerWidth) + ", got " + std::string(item));
    shape.widths.push_back(width);
    if (comma == text.size()) break;
    start = comma + 1;
  }
  if (shape.widths.size() < 3)
    throw UsageError(quoted + "needs inputs, at least one hidden layer and outputs (e.g. 784,10,10)");
  return shape;
}

}  // namespace mnistbench
