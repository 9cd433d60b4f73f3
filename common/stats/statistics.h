#pragma once
// Statistics for timings taken on a shared, noisy machine: the median, the
// interquartile range as the spread (robust to the one run a neighbour's
// build slowed down, which a standard deviation is not), and the
// Mann-Whitney U test for "are these repeats slower than those", the test
// Google Benchmark's tools/compare.py applies to a few repeats, because it
// assumes no distribution of the times, only that the repeats are independent.

#include <span>

namespace mnistbench {

// The q-quantile (0 <= q <= 1) of values, interpolated linearly between the
// order statistics (NumPy's default, "linear"). Throws std::invalid_argument
// when values is empty.
double quantile(std::span<const double> values, double q);

inline double median(std::span<const double> values) { return quantile(values, 0.5); }
// The median of a run's times; 0 for a run that timed nothing (stopped before its first step).
inline double median_or_zero(std::span<const double> values) { return values.empty() ? 0.0 : median(values); }

struct Spread {
  double median = 0.0;
  double q1 = 0.0;  // the 25th percentile
  double q3 = 0.0;  // the 75th percentile
  double iqr() const { return q3 - q1; }
  // The IQR as a fraction of the median: the figure the busy-machine check bounds.
  double relative_iqr() const { return median > 0 ? iqr() / median : 0.0; }
};

Spread spread(std::span<const double> values);

// Repeats whose IQR exceeds this fraction of their median were disturbed
// beyond the 10% gate `compare --max-slowdown` applies by default: results
// say so. A quiet machine keeps repeated step times within a few percent.
inline constexpr double kNoisyRelativeIqr = 0.10;

struct MannWhitney {
  double u = 0.0;        // U of the first sample: pairs (a, b) with a > b, ties counting a half
  double p_value = 1.0;  // two-sided
  bool exact = false;    // from the exact distribution of U (no ties, both samples <= 20), else normal
};

// Two-sided Mann-Whitney U test of a against b. With both samples of at most
// 20 values and no ties the p-value is exact (the count of the rank orders
// giving each U); otherwise it is the normal approximation with the
// tie-corrected variance and a continuity correction. A sample with fewer
// than one value gives p = 1 (no evidence).
MannWhitney mann_whitney_u(std::span<const double> a, std::span<const double> b);

}  // namespace mnistbench
