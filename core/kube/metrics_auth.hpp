// `--metrics-secure` (SPEC §3.3, §13.1): who may read /metrics, decided by the Kubernetes API
// the way controller-runtime's `filters.WithAuthenticationAndAuthorization` does it upstream.
//
//   1. The request's `Authorization: Bearer <token>` is checked with a TokenReview
//      (authentication.k8s.io/v1); no token, or a token the API does not authenticate: 401.
//   2. The user it names (username, uid, groups, extra) is checked with a SubjectAccessReview
//      (authorization.k8s.io/v1) for the non-resource URL: `nonResourceAttributes: {path,
//      verb}` with the lower-cased HTTP method as verb (`get`); not allowed: 403.
//   3. Either review failing (API unreachable, 5xx, 429: 503; any other unexpected answer, e.g.
//      403 because the ServiceAccount may not create reviews: 500) refuses the request with a
//      short text and logs one error line. A failure never lets a request through.
//
// Decisions (200, 401, 403) are cached per (token, verb, path) for `cache_ttl`, so a scraper
// asking every 15 s costs one TokenReview and one SubjectAccessReview per TTL; failures are not
// cached. The cache holds a SHA-256 of the token, never the token, and is bounded (oldest entry
// first out). Tokens never appear in log lines, response bodies or error messages.
//
// Threading: check() is thread-safe and blocks for the API calls (the caller's thread: the
// metrics server's own, so only /metrics waits for a slow API server).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace iu::kube {

class Client;

struct AccessDecision {
  int status = 500;     // 200 allowed; 401, 403; 500 or 503 when a review could not be made
  std::string message;  // response text for a refusal (secret-free), "" when allowed
  bool allowed() const { return status == 200; }
};

// A bounded map from key to decision with a fixed time to live. Entries leave when they expire
// (checked on lookup and insertion) or, when the map is full, oldest-inserted first.
// Thread-safe.
class AccessDecisionCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // `clock` defaults to std::chrono::steady_clock::now (tests inject their own).
  AccessDecisionCache(std::chrono::milliseconds ttl, size_t max_entries, Clock clock = {});

  // The decision stored under `key` when younger than the TTL.
  std::optional<AccessDecision> find(const std::string& key);
  // Stores (or replaces, restarting its TTL) the decision under `key`.
  void put(const std::string& key, AccessDecision decision);
  size_t size() const;

 private:
  struct Entry {
    AccessDecision decision;
    std::chrono::steady_clock::time_point expires;
    std::list<std::string>::iterator order;
  };
  void evict_expired(std::chrono::steady_clock::time_point now);

  std::chrono::milliseconds ttl_;
  size_t max_entries_;
  Clock clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> order_;  // keys, oldest insertion first
};

struct MetricsAuthOptions {
  std::chrono::milliseconds cache_ttl{std::chrono::minutes(1)};
  size_t cache_max_entries = 1024;
  AccessDecisionCache::Clock clock;  // default: steady_clock
};

class MetricsAuthorizer {
 public:
  // `client` talks to the API server as the updater's own ServiceAccount, which needs `create`
  // on tokenreviews and subjectaccessreviews (config/rbac/metrics_auth_role.yaml).
  explicit MetricsAuthorizer(std::shared_ptr<const Client> client, MetricsAuthOptions options = {});
  ~MetricsAuthorizer();

  // `authorization`: the request's Authorization header ("" when absent); `method`: its HTTP
  // method ("GET"); `path`: its path without query ("/metrics").
  AccessDecision check(std::string_view authorization, std::string_view method,
                       std::string_view path);

 private:
  AccessDecision review(const std::string& token, const std::string& verb,
                        const std::string& path) const;

  std::shared_ptr<const Client> client_;
  AccessDecisionCache cache_;
};

// The bearer token of an Authorization header value, as Kubernetes reads it: surrounding
// space trimmed, the scheme `Bearer` (any case), one space, then the token up to the next
// space. "" when there is none.
std::string bearer_token(std::string_view authorization);

}  // namespace iu::kube
