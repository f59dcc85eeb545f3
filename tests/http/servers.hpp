// Real servers for the HTTP service integration tests, started from ../shared/fixtures on
// 127.0.0.1 with free ports and temporary directories, and stopped by their destructors (so
// also when a test fails). Every wait is bounded.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace iu::test {

// Runs `command` with /bin/sh; returns its stdout. Throws std::runtime_error with the exit
// status and the captured output when it fails.
std::string run_command(const std::string& command);

// KEY=VALUE lines (as printed by registry.sh start and faults.py --background).
std::map<std::string, std::string> parse_env(const std::string& text);

// A tiny independent HTTP client (libcurl easy, no retries) for control endpoints.
struct ControlReply {
  long status = 0;
  std::string body;
};
ControlReply control_request(const std::string& method, const std::string& url,
                             const std::string& body = {});

// A TCP port on 127.0.0.1 that was free a moment ago (for starting servers side by side).
std::string free_port();

// registry.sh start DIR PORT [args...] (PORT "0": the script picks one).
class RegistryServer {
 public:
  explicit RegistryServer(std::vector<std::string> args = {}, const std::string& listen_port = "0");
  ~RegistryServer();
  // Pushes org/app:1.0.0,1.1.0,2.0.0 with populate.py.
  void populate() const;
  std::string url;   // http(s)://127.0.0.1:PORT
  std::string host;  // 127.0.0.1:PORT
  std::string port;
  std::string ca;  // CA certificate file with --tls

 private:
  TempDir dir_;
};

// faults.py --background in front of `upstream`.
class FaultProxy {
 public:
  explicit FaultProxy(const std::string& upstream, std::vector<std::string> args = {});
  ~FaultProxy();
  std::string url;   // http://127.0.0.1:PORT
  std::string host;  // 127.0.0.1:PORT

  // POST /__reset (counters and the --sequence position) then POST /__config `json`.
  void reset(const std::string& config_json = "{}");
  // GET /__stats as JSON text.
  std::string stats() const;

 private:
  TempDir dir_;
};

// tests/http/redirector.py.
class Redirector {
 public:
  Redirector();
  ~Redirector();
  std::string url;

 private:
  TempDir dir_;
  int pid_ = -1;
};

// ecr_fake.py with `credentials` (AKID:SECRET[:TOKEN]) accepted.
class EcrFake {
 public:
  explicit EcrFake(const std::vector<std::string>& credentials);
  ~EcrFake();
  std::string url;

 private:
  TempDir dir_;
  int pid_ = -1;
};

// Minimal views over faults.py /__stats.
struct FaultStats {
  long total = 0;
  long upstream_requests = 0;
  long connections = 0;
  std::map<std::string, long> by_method_path;  // "GET /v2/org/app/tags/list" -> n
  struct Recent {
    double t = 0;   // completion (epoch seconds)
    double ms = 0;  // time spent in the proxy
    std::string method, target, fault;
    long status = 0;
  };
  std::vector<Recent> recent;
  long count(const std::string& method_path) const;
};
FaultStats parse_stats(const std::string& json);

}  // namespace iu::test
