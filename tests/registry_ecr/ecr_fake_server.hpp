// ecr_fake.py (../shared/fixtures) run as a child process for the tests and the bench: the ECR
// JSON 1.1 API and STS on one port, verifying every SigV4 signature with botocore, and
// optionally a Basic-auth front of a real registry with ECR's token semantics. Binds 127.0.0.1
// only; stopped (SIGTERM, then SIGKILL) by the destructor; its own --max-lifetime guards
// against orphans.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace iu::test {

class EcrFake {
 public:
  // Starts `ecr_fake.py --port 0 <options...>` with its files in `dir` and waits (up to 30 s)
  // until it answers /__healthz. With `with_proxy`, also --registry-proxy-port 0. Throws
  // std::runtime_error with the fake's stderr when it does not come up.
  EcrFake(std::filesystem::path dir, std::vector<std::string> options, bool with_proxy);
  ~EcrFake();
  EcrFake(const EcrFake&) = delete;
  EcrFake& operator=(const EcrFake&) = delete;

  std::string api_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string proxy_url() const { return "http://127.0.0.1:" + std::to_string(proxy_port_); }
  std::string proxy_host() const { return "127.0.0.1:" + std::to_string(proxy_port_); }
  // GET <api>/<path> (a test endpoint such as "__requests"), as text.
  std::string get(const std::string& path) const;
  // How many requests the fake answered for `key` ("DescribeImages", "sts
  // AssumeRoleWithWebIdentity", ...) with HTTP `code` since the last reset_counts(), from
  // /__requests (its last 500 requests).
  int count(const std::string& key, int code = 200) const;
  // Every request for `key` since the last reset_counts(), whatever its status.
  int total(const std::string& key) const;
  void reset_counts() const;
  std::string log() const;  // the fake's stderr so far

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0, proxy_port_ = 0;
};

// The interpreter for the fixtures' Python scripts: /usr/bin/python3 when present, else python3.
std::string fixture_python();

}  // namespace iu::test
