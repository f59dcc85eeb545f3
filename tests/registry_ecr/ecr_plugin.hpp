// The registry-ecr.so of this build loaded through the real plugin loader, instances created
// the way the host creates them, and a scoped AWS environment (the plugin reads the process
// environment when an instance is created).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugin_host/catalog.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::test {

// The `ecr` implementation (loads the module on first use; throws if it cannot).
const plugin_host::Implementation& ecr_impl();

// An ecr registry instance: v2 API at `api_url`, endpoint key `endpoint`, registries.conf
// prefix `prefix`; `extra` sets plugin keys (listing, describe_page_size) or host keys
// (tagsortmode).
std::unique_ptr<plugin_host::RegistryInstance> make_ecr(
    const std::string& api_url, const std::string& endpoint, const std::string& prefix,
    const std::map<std::string, std::string>& extra = {});

// Sets exactly `vars` among the AWS_* variables the plugin reads (all others unset) and HOME
// (to `vars["HOME"]`, else a directory without .aws); restores everything on destruction.
class ScopedAwsEnv {
 public:
  explicit ScopedAwsEnv(const std::map<std::string, std::string>& vars);
  ~ScopedAwsEnv();
  ScopedAwsEnv(const ScopedAwsEnv&) = delete;
  ScopedAwsEnv& operator=(const ScopedAwsEnv&) = delete;

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// Everything written to file descriptor 2 (where the core's log goes) while it lives.
class StderrCapture {
 public:
  StderrCapture();
  ~StderrCapture();
  std::string text();  // what was captured so far (restores stderr first)

 private:
  int saved_ = -1;
  std::string path_;
};

}  // namespace iu::test
