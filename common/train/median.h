#pragma once
// The median of a run's step times: what every result quotes, because on a
// shared machine noise only ever adds time, and the median ignores the few
// steps it hits hardest.

#include <vector>

namespace mnistbench {

// The middle value (the mean of the two middle ones for an even count); 0 for none.
double median(std::vector<double> values);

}  // namespace mnistbench
