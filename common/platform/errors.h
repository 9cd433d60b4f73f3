#pragma once
// The two kinds of failure a user can cause. Each message is one line that
// names the file or flag and what is wrong; the CLI prints it and exits non-zero.

#include <stdexcept>
#include <string>
#include <string_view>

namespace mnistbench {

// A data or weights file that is missing, truncated or malformed. The message starts with the path.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A bad flag or flag value. The message starts with the flag.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// message with every control character written as an escape ("\n",
// "\x1b"), so that an error that quotes a user's path or value is printed as
// the one line it is meant to be, whatever bytes the user gave.
std::string one_line(std::string_view message);

}  // namespace mnistbench
