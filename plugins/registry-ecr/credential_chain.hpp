// The AWS credentials chain of SPEC §7.7, first found wins:
//   1. environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
//   2. web identity: AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (+ AWS_ROLE_SESSION_NAME),
//      exchanged through STS AssumeRoleWithWebIdentity;
//   3. the shared files' profile (AWS_PROFILE, else "default"): aws_access_key_id +
//      aws_secret_access_key (+ aws_session_token), or role_arn + web_identity_token_file.
// Temporary credentials are refreshed 5 minutes before their Expiration (half their lifetime
// when that is shorter), one refresh at a time; the token file is re-read at every refresh
// (Kubernetes rotates it). Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "aws_env.hpp"
#include "credentials.hpp"
#include "iu/plugin.hpp"
#include "refreshing.hpp"

namespace iu::registry_ecr {

class CredentialChain {
 public:
  // `registry` names the registry in messages; `sts_endpoint` serves web identity exchanges.
  CredentialChain(std::string registry, AwsEnv env, std::string sts_endpoint);

  // Credentials to sign with. Throws iu::sdk::Error naming the source: INVALID_ARGUMENT for an
  // incomplete or malformed setting (e.g. AWS_ACCESS_KEY_ID without AWS_SECRET_ACCESS_KEY, an
  // unreadable token file), UNAUTHENTICATED when no source is configured or STS refuses.
  AwsCredentials get(sdk::Call& call);

  // AWS rejected `used` (unknown key, bad signature, expired token): drop it if still held, so
  // that the next get() reads the source again.
  void rejected(const AwsCredentials& used);

 private:
  using Held = Refreshing<AwsCredentials>::Held;
  Held fetch(sdk::Call& call);
  Held web_identity(sdk::Call& call, const std::string& role_arn, const std::string& token_file,
                    const std::string& source);

  const std::string registry_;
  const AwsEnv env_;
  const std::string sts_endpoint_;
  Refreshing<AwsCredentials> held_;
};

}  // namespace iu::registry_ecr
