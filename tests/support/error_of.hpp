// The message of the exception a piece of test code is expected to throw.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace iu::test {

// Runs `f` and returns what() of the `E` it throws; records a test failure (and returns "")
// when it throws nothing. Other exception types propagate and fail the test.
template <typename E, typename F>
std::string error_of(F&& f) {
  try {
    std::forward<F>(f)();
  } catch (const E& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an exception";
  return "";
}

}  // namespace iu::test
