// ../shared/fixtures/kube_fake.py driven from C++: started on a free 127.0.0.1 port with TLS, a
// bearer token and a kubeconfig written for it; stopped (SIGTERM, then SIGKILL) by the
// destructor, and bounded by --max-lifetime should a test crash.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace iu::test {

struct Command {
  int exit_code = -1;
  std::string out, err;
};

// Runs argv (no shell) under `timeout`, capturing stdout and stderr.
Command run(const std::vector<std::string>& argv,
            std::chrono::seconds limit = std::chrono::seconds(60));

class KubeFake {
 public:
  // `state`: objects to load (multi-document YAML); `extra`: more kube_fake.py options.
  KubeFake(const std::filesystem::path& dir, const std::string& state,
           std::vector<std::string> extra = {});
  ~KubeFake();
  KubeFake(const KubeFake&) = delete;
  KubeFake& operator=(const KubeFake&) = delete;

  const std::filesystem::path& kubeconfig() const { return kubeconfig_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  // kubectl --kubeconfig <ours> <args>; throws std::runtime_error unless it exits 0.
  std::string kubectl(const std::vector<std::string>& args) const;
  // A test endpoint (no auth): GET, or POST with `body`.
  std::string test_endpoint(const std::string& path, const std::string& body = {}) const;

 private:
  std::filesystem::path dir_, kubeconfig_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace iu::test
