// A GoogleTest fixture base sharing one git server (and HTTP proxy) per test suite (started in
// SetUpTestSuite, stopped in TearDownTestSuite, also after failures); every test gets a fresh
// seeded repository named after it, and its own clone cache folder.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "git_fixture.hpp"

namespace iu::test::gitwb {

class ServerSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite() { server_ = new GitServer({"--user", "bot:s3cret-pw"}); }
  static void TearDownTestSuite() {
    delete proxy_;
    proxy_ = nullptr;
    delete server_;
    server_ = nullptr;
  }

 protected:
  static GitServer& server() { return *server_; }
  // The suite's re-framing proxy in front of the smart HTTP server (see HttpProxy), started on
  // first use.
  static HttpProxy& proxy() {
    if (proxy_ == nullptr) proxy_ = new HttpProxy(server_->http_root());
    return *proxy_;
  }

  // Creates the test's repository (named after the test) and returns its name.
  std::string fresh_repo(const std::vector<std::string>& extra = {}) {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    server().create_repo(name, extra);
    return name;
  }
  std::string cache_dir() const { return (cache_.path() / "cache").string(); }

 private:
  static inline GitServer* server_ = nullptr;
  static inline HttpProxy* proxy_ = nullptr;
  TempDir cache_;
};

}  // namespace iu::test::gitwb
