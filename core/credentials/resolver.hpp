// Turns a credential reference into a username and password (SPEC §8). Stateless apart from
// its sources: caching and the once-per-pass rule live in CredentialCache.
#pragma once

#include <memory>
#include <string_view>

#include "credentials/credential.hpp"
#include "credentials/credential_ref.hpp"
#include "credentials/ext_helper.hpp"

namespace iu::credentials {

struct ResolverOptions {
  HelperLimits helper;  // limits for `ext:` helpers
};

class Resolver {
 public:
  // `secrets` may be null (no Kubernetes access): `secret:` and `pullsecret:` references then
  // fail with an error saying so; `env:` and `ext:` work regardless.
  explicit Resolver(std::shared_ptr<SecretSource> secrets, ResolverOptions options = {});

  // Resolves `ref` for a request to the registry whose API host is `registry_host`
  // (`host[:port]`, a full API URL also works) about `repository` (may be empty). Both only
  // matter for `pullsecret:`, where they choose the `auths` entry (docker_config.hpp).
  // Values are split at the first `:`; one trailing line ending (`\n` or `\r\n`) of a Secret
  // field or variable is dropped. Throws CredentialError naming the reference, never the secret.
  // Thread-safe.
  Credential resolve(std::string_view ref, std::string_view registry_host,
                     std::string_view repository = {}) const;
  Credential resolve(const CredentialRef& ref, std::string_view registry_host,
                     std::string_view repository = {}) const;

 private:
  std::map<std::string, std::string> secret_data(const CredentialRef& ref) const;

  std::shared_ptr<SecretSource> secrets_;
  ResolverOptions options_;
};

// Splits `value` at its first `:` into a credential with `identity` set to `ref_text`. Throws
// CredentialError "<ref_text>: <what> is not in the form user:password" when there is no `:`.
Credential split_user_password(std::string_view value, std::string_view ref_text,
                               std::string_view what);

}  // namespace iu::credentials
