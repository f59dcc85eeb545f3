#include "aws_env.hpp"

#include <cstdlib>

namespace iu::registry_ecr {

AwsEnv AwsEnv::from_process() {
  static constexpr const char* kNames[] = {
      "AWS_ACCESS_KEY_ID",    "AWS_SECRET_ACCESS_KEY",       "AWS_SESSION_TOKEN",
      "AWS_ROLE_ARN",         "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
      "AWS_PROFILE",          "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
      "AWS_REGION",           "AWS_DEFAULT_REGION",          "AWS_ENDPOINT_URL",
      "AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL_STS",        "HOME"};
  std::map<std::string, std::string> vars;
  for (const char* name : kNames)
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') vars[name] = v;
  return AwsEnv(vars);
}

std::optional<std::string> AwsEnv::get(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace iu::registry_ecr
