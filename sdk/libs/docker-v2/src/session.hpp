// Authentication for one endpoint (SPEC §7.3, §7.5): the ping that learns the challenge, Basic
// and Bearer authorization, the token flow with its cache, and the auth retry.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "iu/dockerv2/challenge.hpp"
#include "iu/dockerv2/credentials.hpp"
#include "iu/dockerv2/token_cache.hpp"
#include "iu/plugin.hpp"
#include "requests.hpp"

namespace iu::dockerv2::detail {

// Who one operation acts as, on which repository.
struct Operation {
  std::string repository;
  BasicCredentials credentials;
  std::string identity;  // cache identity: the provider's, a salted hash, or "" (anonymous)
  bool named = false;    // identity came from the provider and may appear in messages
};

class Session {
 public:
  Session(const Endpoint& endpoint, std::shared_ptr<CredentialProvider> provider);

  // Asks the credential provider for the operation's credentials.
  Operation begin(sdk::Call& call, const sdk::RepoRequest& request);

  // Sends `request` (which must not carry Authorization) with the authorization the registry's
  // challenge calls for. On 401/403: adopts a challenge the response offers that differs from
  // the one used (once), or drops the cached token used and retries with a fresh one (once).
  // Returns the first response that is not a 401/403; after that throws
  // iu::sdk::Error(UNAUTHENTICATED) and tells the provider its credentials were rejected.
  sdk::HttpResponse send(sdk::Call& call, const Operation& op, const sdk::HttpRequest& request);

 private:
  struct Authorization {
    std::string header;     // "" = none
    std::string token;      // the bearer token used
    std::string cache_key;  // its token cache key
    bool cached = false;    // the token came from the cache
  };

  AuthChallenge challenge(sdk::Call& call);
  void remember(const AuthChallenge& challenge);
  Authorization authorize(sdk::Call& call, const AuthChallenge& challenge, const Operation& op,
                          std::string_view stale_token);
  TokenCache::Fetched fetch_token(sdk::Call& call, const AuthChallenge& challenge,
                                  const Operation& op, const std::string& scope);
  [[noreturn]] void rejected(sdk::Call& call, const Operation& op, std::string_view subject,
                             const sdk::HttpResponse& response);
  void count_token_lookup(sdk::Call& call, bool hit);

  const Endpoint& endpoint_;
  std::shared_ptr<CredentialProvider> provider_;
  TokenCache tokens_;
  std::mutex ping_mu_;  // held during the first ping: one ping per endpoint
  std::mutex mu_;
  std::optional<AuthChallenge> challenge_;
  std::atomic<uint64_t> lookups_metric_{0};
};

}  // namespace iu::dockerv2::detail
