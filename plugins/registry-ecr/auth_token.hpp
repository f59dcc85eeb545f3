// The registry credentials of an ECR registry: `AWS:<password>` from GetAuthorizationToken,
// used for Basic auth on the Docker v2 API through iu_dockerv2's CredentialProvider seam
// (SPEC §7.7). The token is reused until 10 % of its life (at most 30 minutes) remains,
// refreshed by one caller while others wait, and dropped at once when the registry rejects it.
// Credentials the host resolved for a call (an image pullSecret or the registry's
// `credentials`, a plain AWS:<password> pair) win over the token. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "ecr_api.hpp"
#include "iu/dockerv2/credentials.hpp"
#include "refreshing.hpp"

namespace iu::registry_ecr {

class AuthTokenProvider final : public dockerv2::CredentialProvider {
 public:
  // `account` is the registry id asked for ("" = the caller's default registry).
  AuthTokenProvider(EcrApi& api, std::string account);

  dockerv2::BasicCredentials credentials(sdk::Call& call, const sdk::RepoRequest& request) override;
  void rejected(sdk::Call& call, const dockerv2::BasicCredentials& rejected) override;

  // How many times the registry rejected a token this provider issued (lets the registry retry
  // an operation once with a fresh token).
  uint64_t rejections() const { return rejections_.load(); }
  // How many tokens were fetched so far.
  uint64_t fetches() const { return fetches_.load(); }

 private:
  struct Token {
    std::string password;  // secret
    std::string identity;  // "ECR token #<n>": secret-free, names the token in messages
  };
  Refreshing<Token>::Held fetch(sdk::Call& call);

  EcrApi& api_;
  const std::string account_;
  Refreshing<Token> token_;
  std::atomic<uint64_t> rejections_{0}, fetches_{0};
};

}  // namespace iu::registry_ecr
