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

  // The proxy starts beside the registry (it needs the registry's port, not the registry),
  // and the two stops run side by side too: the fixture scripts spend most of their time
  // waiting.
  void start() {
    started = true;
    try {
      std::string port = iu::test::free_port();
      auto proxy = std::async(std::launch::async, [port] {
        return std::make_unique<iu::test::FaultProxy>("http://127.0.0.1:" + port);
      });
      try {
        registry = std::make_unique<iu::test::RegistryServer>(std::vector<std::string>{}, port);
        registry->populate();
      } catch (...) {
        try {
          faults = proxy.get();
        } catch (...) {
          // the registry's error is the one worth reporting
        }
        throw;
      }
      faults = proxy.get();
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
