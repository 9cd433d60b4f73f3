#include "common/stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace mnistbench {

double quantile(std::span<const double> values, double q) {
  if (values.empty()) throw std::invalid_argument("quantile of no values");
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const double position = std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1);
  const std::size_t below = std::size_t(position);
  if (below + 1 >= sorted.size()) return sorted.back();
  const double fraction = position - double(below);
  return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

Spread spread(std::span<const double> values) {
  return {quantile(values, 0.5), quantile(values, 0.25), quantile(values, 0.75)};
}

namespace {

// How many of the C(n1 + n2, n1) orders of two tie-free samples give each
// U = 0 .. n1·n2 (Mann and Whitney's recurrence: the largest value belongs to
// the first sample, adding n2 to U, or to the second, adding nothing).
std::vector<double> exact_u_counts(int n1, int n2) {
  // counts[j][u] for the current i (first-sample size) and j second-sample values.
  std::vector<std::vector<double>> counts(std::size_t(n2) + 1);
  for (int j = 0; j <= n2; ++j) counts[j] = {1.0};  // i = 0: U is 0 in one way
  for (int i = 1; i <= n1; ++i) {
    std::vector<std::vector<double>> next(std::size_t(n2) + 1);
    next[0] = {1.0};  // j = 0: U is 0 in one way
    for (int j = 1; j <= n2; ++j) {
      next[j].assign(std::size_t(i) * j + 1, 0.0);
      for (std::size_t u = 0; u < counts[j].size(); ++u) next[j][u + j] += counts[j][u];  // largest from a
      for (std::size_t u = 0; u < next[j - 1].size(); ++u) next[j][u] += next[j - 1][u];  // largest from b
    }
    counts = std::move(next);
  }
  return counts[n2];
}

constexpr int kExactLimit = 20;

}  // namespace

MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b) {
  MannWhitney result;
  const std::size_t n1 = a.size(), n2 = b.size(), n = n1 + n2;
  if (n1 == 0 || n2 == 0) return result;

  // Midranks of the pooled values, and the tie groups' sizes.
  std::vector<std::pair<double, bool>> pooled;  // value, from a
  for (double x : a) pooled.emplace_back(x, true);
  for (double x : b) pooled.emplace_back(x, false);
  std::sort(pooled.begin(), pooled.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  double rank_sum_a = 0.0, tie_term = 0.0;
  for (std::size_t first = 0; first < n;) {
    std::size_t last = first;
    while (last + 1 < n && pooled[last + 1].first == pooled[first].first) ++last;
    const double group = double(last - first + 1);
    const double midrank = (double(first) + double(last)) / 2 + 1;
    for (std::size_t k = first; k <= last; ++k)
      if (pooled[k].second) rank_sum_a += midrank;
    tie_term += group * group * group - group;
    first = last + 1;
  }
  result.u = rank_sum_a - double(n1) * double(n1 + 1) / 2;

  const double pairs = double(n1) * double(n2);
  if (tie_term == 0.0 && n1 <= kExactLimit && n2 <= kExactLimit) {
    const std::vector<double> counts = exact_u_counts(int(n1), int(n2));
    double total = 0.0, at_most = 0.0, at_least = 0.0;
    for (std::size_t u = 0; u < counts.size(); ++u) {
      total += counts[u];
      if (double(u) <= result.u) at_most += counts[u];
      if (double(u) >= result.u) at_least += counts[u];
    }
    result.p_value = std::min(1.0, 2 * std::min(at_most, at_least) / total);
    result.exact = true;
    return result;
  }

  const double variance = pairs / 12 * ((double(n) + 1) - tie_term / (double(n) * double(n - 1)));
  if (!(variance > 0)) return result;  // every value tied: no evidence either way
  const double z = std::max(0.0, std::fabs(result.u - pairs / 2) - 0.5) / std::sqrt(variance);
  result.p_value = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return result;
}

}  // namespace mnistbench
