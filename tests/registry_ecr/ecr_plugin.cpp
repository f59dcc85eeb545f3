#include "ecr_plugin.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "registry_module.hpp"

#ifndef IU_REGISTRY_ECR_MODULE
#error "IU_REGISTRY_ECR_MODULE must name the built registry-ecr.so"
#endif

namespace iu::test {

const plugin_host::Implementation& ecr_impl() {
  return registry_implementation(IU_REGISTRY_ECR_MODULE, "ecr");
}

std::unique_ptr<plugin_host::RegistryInstance> make_ecr(
    const std::string& api_url, const std::string& endpoint, const std::string& prefix,
    const std::map<std::string, std::string>& extra) {
  return registry_instance(ecr_impl(), api_url, endpoint, prefix, extra);
}

namespace {
constexpr const char* kAwsVars[] = {
    "AWS_ACCESS_KEY_ID",    "AWS_SECRET_ACCESS_KEY",       "AWS_SESSION_TOKEN",
    "AWS_ROLE_ARN",         "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
    "AWS_PROFILE",          "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
    "AWS_REGION",           "AWS_DEFAULT_REGION",          "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL_STS",        "HOME"};
}  // namespace

ScopedAwsEnv::ScopedAwsEnv(const std::map<std::string, std::string>& vars) {
  for (const char* name : kAwsVars) {
    const char* old = std::getenv(name);
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    unsetenv(name);
  }
  setenv("HOME", "/nonexistent-home-for-ecr-tests", 1);
  for (const auto& [k, v] : vars) setenv(k.c_str(), v.c_str(), 1);
}

ScopedAwsEnv::~ScopedAwsEnv() {
  for (const auto& [name, value] : saved_) {
    if (value)
      setenv(name.c_str(), value->c_str(), 1);
    else
      unsetenv(name.c_str());
  }
}

StderrCapture::StderrCapture() {
  char tmpl[] = "/tmp/iu-ecr-stderr-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  path_ = tmpl;
  std::fflush(stderr);
  saved_ = dup(2);
  dup2(fd, 2);
  close(fd);
}

StderrCapture::~StderrCapture() {
  text();
  std::remove(path_.c_str());
}

std::string StderrCapture::text() {
  if (saved_ >= 0) {
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
  }
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace iu::test
