// AWS credentials for signing API calls, and where they came from.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace iu::registry_ecr {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;  // secret: never logged or put into a message
  std::string session_token;      // secret; "" for long-term keys
  // When temporary credentials stop working; nullopt for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // The source as messages name it: "environment", "web identity", "profile <name>".
  std::string source;

  // "KEY:SECRET[:SESSION_TOKEN]", the host HTTP service's aws_credentials field.
  std::string for_signing() const {
    std::string s = access_key_id + ":" + secret_access_key;
    if (!session_token.empty()) s += ":" + session_token;
    return s;
  }
};

}  // namespace iu::registry_ecr
