// The servers behind RegistryWithFaults: started on first use, stopped by a global test
// environment after the last test of the process (also when tests failed).
#include <future>

#include "http_test_util.hpp"

namespace iu::http::testing {
namespace {

struct SharedServers {
  std::unique_ptr<iu::test::RegistryServer> registry;
  std::unique_ptr<iu::test::FaultProxy> faults;
  std::string error;
  bool started = false;

  // Populating the registry and starting the proxy are independent: done side by side, as
  // are the two stops (the fixture scripts spend most of their time waiting).
  void start() {
    started = true;
    try {
      registry = std::make_unique<iu::test::RegistryServer>();
      auto populated = std::async(std::launch::async, [this] { registry->populate(); });
      try {
        faults = std::make_unique<iu::test::FaultProxy>(registry->url);
      } catch (...) {
        populated.wait();
        throw;
      }
      populated.get();
    } catch (const std::exception& e) {
      error = e.what();
      stop();
    }
  }

  void stop() {
    auto stopped = std::async(std::launch::async, [this] { faults.reset(); });
    registry.reset();
    stopped.get();
  }
};

SharedServers& shared() {
  static SharedServers servers;
  return servers;
}

class StopSharedServers : public ::testing::Environment {
 public:
  void TearDown() override { shared().stop(); }
};

[[maybe_unused]] const ::testing::Environment* const kStopServers =
    ::testing::AddGlobalTestEnvironment(new StopSharedServers);

}  // namespace

void RegistryWithFaults::SetUpTestSuite() {
  SharedServers& s = shared();
  if (!s.started) s.start();
  registry_ = s.registry.get();
  faults_ = s.faults.get();
}

void RegistryWithFaults::SetUp() {
  ASSERT_NE(faults_, nullptr) << "fixture servers did not start: " << shared().error;
  faults_->reset();
}

}  // namespace iu::http::testing
