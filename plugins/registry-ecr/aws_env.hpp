// The AWS settings a registry-ecr instance reads from the process environment (AWS SDK
// conventions, SPEC §7.7), captured once when the instance is created so that one instance sees
// one consistent view. Values are never logged: AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN are
// secrets.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace iu::registry_ecr {

class AwsEnv {
 public:
  // The variables this plugin knows (AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_ENDPOINT_URL_ECR, ...,
  // and HOME) from the process environment.
  static AwsEnv from_process();
  // An explicit set (tests, benches).
  explicit AwsEnv(const std::map<std::string, std::string>& vars = {})
      : vars_(vars.begin(), vars.end()) {}

  // The value of `name`; nullopt when unset or empty (the AWS SDKs treat both alike).
  std::optional<std::string> get(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

}  // namespace iu::registry_ecr
