// The fixture servers of ../shared/fixtures driven from C++: the distribution registry
// (registry.sh, optionally with htpasswd, token server or TLS), the fault-injecting proxy
// (faults.py), populate.py and skopeo. Every command runs under `timeout`; servers bind to
// 127.0.0.1 on free ports inside a temporary folder and are stopped by their destructors, so a
// failing test never leaves one behind (the scripts' --ttl guard covers crashes).
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace iu::test {

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs argv (no shell) for at most `limit`; captures stdout and stderr.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::seconds limit = std::chrono::seconds(120));

// Like run_command, but throws std::runtime_error with the command and its stderr unless it
// exits 0; returns stdout.
std::string run_checked(const std::vector<std::string>& argv,
                        std::chrono::seconds limit = std::chrono::seconds(120));

// KEY=VALUE lines (as registry.sh and faults.py print them); later lines win.
std::map<std::string, std::string> parse_env(const std::string& text);

// registry.sh start DIR 0 <options...>; stopped (and its /dev/shm storage removed) on
// destruction.
class RegistryServer {
 public:
  RegistryServer(std::filesystem::path dir, std::vector<std::string> options,
                 std::filesystem::path storage = {});
  ~RegistryServer();
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  std::string env(const std::string& key) const;  // throws when the script did not print it
  std::string host() const { return env("REGISTRY_HOST"); }  // 127.0.0.1:PORT
  std::string url() const { return env("REGISTRY_URL"); }    // http(s)://127.0.0.1:PORT
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_, storage_;
  std::map<std::string, std::string> env_;
};

// faults.py --background in front of `upstream`; stopped on destruction.
class FaultProxy {
 public:
  FaultProxy(std::filesystem::path dir, const std::string& upstream,
             std::vector<std::string> options);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::string url() const { return url_; }    // http://127.0.0.1:PORT
  std::string host() const { return host_; }  // 127.0.0.1:PORT
  // GET /__stats as text (JSON).
  std::string stats() const;

 private:
  std::filesystem::path pid_file_;
  std::string url_, host_;
};

// populate.py [--registry <registry>] <args...> --quiet [--out file] (no --registry when it is
// empty, e.g. with --direct-fs); returns the --out JSON text (empty when `want_out` is false).
std::string populate(const std::string& registry, const std::vector<std::string>& args,
                     const std::filesystem::path& scratch, bool want_out = true);

// skopeo <args...>; stdout.
std::string skopeo(const std::vector<std::string>& args);

}  // namespace iu::test
