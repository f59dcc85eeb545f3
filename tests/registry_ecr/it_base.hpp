// The base of the registry-ecr integration tests: the shared world, the host HTTP service
// recording every exchange, and instances of the built plugin pointed at the fake.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "ecr_plugin.hpp"
#include "ecr_world.hpp"
#include "it_support.hpp"
#include "shared_dir.hpp"
#include "test_transport.hpp"

namespace iu::test {

class EcrIT : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(world().error.empty()) << "fixtures did not start: " << world().error;
    services_ = install_recording_services();
    services_->transport().configure(world().fake->proxy_host(), "", false);
    world().fake->reset_counts();
  }

  // An instance for the fake's registry front with prefix kEcrPrefix.
  std::unique_ptr<plugin_host::RegistryInstance> make(
      const std::map<std::string, std::string>& extra = {}) const {
    return make_ecr(world().fake->proxy_url(), world().fake->proxy_host(), kEcrPrefix, extra);
  }

  // The AWS environment pointing at the fake, plus `more`.
  static std::map<std::string, std::string> env(std::map<std::string, std::string> more = {}) {
    return world().aws_env(std::move(more));
  }

  static std::map<std::string, std::string> env_keys(const std::string& secret = kEnvSecret) {
    return env({{"AWS_ACCESS_KEY_ID", kEnvKeyId}, {"AWS_SECRET_ACCESS_KEY", secret}});
  }

  const plugin_host::Credentials anonymous_{};
  std::shared_ptr<RecordingServices> services_;
};

}  // namespace iu::test
