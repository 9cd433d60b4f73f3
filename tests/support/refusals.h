#pragma once
// The one check every bad-input test makes: the load throws the right kind
// of error, in one line, naming what it should.

#include <gtest/gtest.h>

#include <exception>
#include <initializer_list>
#include <string>

#include "common/platform/errors.h"

namespace mnistbench::test {

// Passes when `load` throws Error with a one-line message containing every part.
template <class Error = DataError, class Load>
::testing::AssertionResult fails_with(Load&& load, std::initializer_list<std::string> parts) {
  try {
    load();
  } catch (const Error& error) {
    const std::string message = error.what();
    if (message.find('\n') != std::string::npos) {
      return ::testing::AssertionFailure() << "message spans lines: " << message;
    }
    for (const auto& part : parts) {
      if (message.find(part) == std::string::npos) {
        return ::testing::AssertionFailure() << "message lacks \"" << part << "\": " << message;
      }
    }
    return ::testing::AssertionSuccess() << message;
  } catch (const std::exception& other) {
    return ::testing::AssertionFailure() << "threw another kind of error: " << other.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace mnistbench::test
