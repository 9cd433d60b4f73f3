#include "tests/support/mnist.h"

#include <map>
#include <numeric>

namespace mnistbench::test {

const TrainingData& real_mnist(int train_count) {
  static std::map<int, TrainingData> cache;
  auto found = cache.find(train_count);
  if (found != cache.end()) return found->second;

  DataSource source = load_data({});  // throws DataError, naming scripts/fetch_mnist.sh
  std::vector<std::uint32_t> first(train_count);
  std::iota(first.begin(), first.end(), 0u);
  TrainingData data;
  data.description = source.description;
  data.train = select_images(source.train, first, 0, first.size());
  std::vector<std::uint32_t> all(source.test->count);
  std::iota(all.begin(), all.end(), 0u);
  data.test = select_images(*source.test, all, 0, all.size());
  return cache.emplace(train_count, std::move(data)).first->second;
}

}  // namespace mnistbench::test
