// Shared setup of the client unit tests: a FakeHost with a FakeRegistry behind it, a call
// context and helpers to build requests and catch the library's errors.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "fake_host.hpp"
#include "fake_registry.hpp"
#include "iu/dockerv2/client.hpp"
#include "iu/plugin.hpp"

namespace iu::test {

class ClientTest : public ::testing::Test {
 protected:
  // Serves `auth` from a fresh FakeRegistry at `api`.
  FakeRegistry& serve(FakeRegistry::Auth auth, std::string api = "http://reg.test") {
    registry_ = std::make_unique<FakeRegistry>(auth, std::move(api));
    host_.on_request(registry_->handler());
    return *registry_;
  }

  dockerv2::ClientOptions options() const {
    dockerv2::ClientOptions o;
    o.registry = "reg.test";
    o.api_url = registry_ ? registry_->api : "http://reg.test";
    return o;
  }

  // A request for `repo` with the registry's own user (creds = true) or anonymous.
  sdk::RepoRequest request(std::string_view repo, bool creds = false,
                           std::string_view identity = "env:REG_CREDS") const {
    sdk::RepoRequest r;
    r.repository = repo;
    if (creds) {
      r.username = registry_->user;
      r.password = registry_->password;
      r.identity = identity;
    }
    return r;
  }

  std::vector<std::string> list(dockerv2::Client& client, const sdk::RepoRequest& r) {
    std::vector<std::string> out;
    client.list_tags(call_, r, [&out](std::string_view t) { out.emplace_back(t); });
    return out;
  }

  // The status and message of the iu::sdk::Error `fn` throws.
  template <typename Fn>
  static std::pair<iu_status, std::string> error_of(Fn&& fn) {
    try {
      fn();
    } catch (const sdk::Error& e) {
      return {e.status(), e.what()};
    }
    ADD_FAILURE() << "no iu::sdk::Error thrown";
    return {IU_STATUS_OK, ""};
  }

  FakeHost host_;
  std::unique_ptr<FakeRegistry> registry_;
  iu_call raw_;
  sdk::Call call_{&raw_};
};

}  // namespace iu::test
