// Helpers shared by the HTTP service integration tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "http/http_service.hpp"
#include "metrics/registry.hpp"
#include "servers.hpp"

namespace iu::http::testing {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline double metric(const std::string& name, const std::vector<std::string>& labels) {
  return metrics::Registry::global().value("argocd_image_updater_" + name, labels).value_or(0);
}

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

inline Request get(const std::string& url, const std::string& op = "api") {
  Request r;
  r.url = url;
  r.op = op;
  return r;
}

// perform() for worker threads: an HttpError becomes a test failure (and a status 0 response)
// instead of terminating the process.
inline Response perform_or_fail(HttpService& svc, const std::string& key, const Request& r) {
  try {
    return svc.perform(key, r);
  } catch (const HttpError& e) {
    ADD_FAILURE() << e.what();
    return Response{};
  }
}

// A policy without rate limit and with quick failure, for tests that are not about them.
inline EndpointPolicy open_policy(const std::string& key) {
  EndpointPolicy p;
  p.key = key;
  p.rate_limit_rps = 0;
  return p;
}

// One populated registry and a fault proxy in front of it, started once per test process for
// every suite deriving from this fixture (stopped after the last test) and reset before each
// test. A start-up failure fails every test using it with the reason.
class RegistryWithFaults : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  void SetUp() override;
  iu::test::FaultStats stats() const { return iu::test::parse_stats(faults_->stats()); }

  static inline iu::test::RegistryServer* registry_ = nullptr;
  static inline iu::test::FaultProxy* faults_ = nullptr;
};

}  // namespace iu::http::testing
