// An in-memory Docker Registry v2 with a token endpoint, as a FakeHost handler: enough of the
// protocol to drive the client through every auth and pagination path without a network.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fake_host.hpp"

namespace iu::test {

class FakeRegistry {
 public:
  enum class Auth { none, basic, bearer };

  explicit FakeRegistry(Auth auth, std::string api = "http://reg.test");

  std::string api, realm = "http://auth.test/token", service = "reg.test";
  std::string user = "alice", password = "s3cret-pass";
  std::optional<int64_t> expires_in = 300;  // in token responses
  bool anonymous_tokens = false;            // the token endpoint serves anonymous callers
  bool ping_anonymous = false;              // /v2/ answers 200 even though repositories need auth
  uint32_t page_size = 0;                   // > 0: tag lists are paginated (`n` wins)
  int token_delay_ms = 0;                   // token endpoint latency
  // Consulted first; a reply replaces the registry's own answer.
  std::function<std::optional<Reply>(const SeenRequest&)> intercept;

  void add_tags(const std::string& repo, const std::vector<std::string>& tags);
  // Stores a manifest under its sha256 digest (and the tag, if any); returns the digest.
  std::string put_manifest(const std::string& repo, const std::string& tag,
                           const std::string& media_type, const std::string& body);
  // Stores a blob; returns its sha256 digest.
  std::string put_blob(const std::string& body);
  // Every token issued so far is refused from now on (server-side expiry or revocation).
  void revoke_tokens();
  // From now on every token is refused, including new ones.
  void refuse_all_tokens() { refuse_all_ = true; }
  int tokens_issued() const { return issued_.load(); }

  Handler handler() {
    return [this](const SeenRequest& r) { return handle(r); };
  }
  Reply handle(const SeenRequest& r);

  // "Basic <base64(user:password)>".
  static std::string basic(const std::string& user, const std::string& password);

 private:
  Reply token(const SeenRequest& r);
  std::optional<Reply> unauthorized(const SeenRequest& r);
  Reply tags(const std::string& repo, const std::string& query);
  Reply manifest(const std::string& repo, const std::string& ref);

  Auth auth_;
  std::mutex mu_;
  std::atomic<int> issued_{0};
  std::atomic<bool> refuse_all_{false};
  std::set<std::string> valid_tokens_;
  std::map<std::string, std::vector<std::string>> tags_;
  std::map<std::string, std::pair<std::string, std::string>> manifests_;  // repo@ref -> type, body
  std::map<std::string, std::string> blobs_;
};

// Query parameter `name` of a URL ("" when absent); values are not unescaped.
std::string query_param(const std::string& url, const std::string& name);

}  // namespace iu::test
