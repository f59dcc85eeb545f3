#include "kube/metrics_auth.hpp"

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "kube/client.hpp"
#include "kube/client_curl.hpp"
#include "log/log.hpp"

namespace iu::kube {
namespace {

constexpr const char* kTokenReviewPath = "/apis/authentication.k8s.io/v1/tokenreviews";
constexpr const char* kSubjectAccessReviewPath =
    "/apis/authorization.k8s.io/v1/subjectaccessreviews";

// The cache key: SHA-256 of the token (the token itself is not kept), then verb and path.
std::string cache_key(const std::string& token, const std::string& verb, const std::string& path) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(token.data(), token.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  std::string key(reinterpret_cast<const char*>(digest), len);
  key += '\n' + verb + ' ' + path;
  return key;
}

// `text` with every occurrence of `secret` replaced: API error messages quote response bodies,
// and a misbehaving server or proxy could echo the request.
std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t p = text.find(secret); p != std::string::npos; p = text.find(secret, p))
    text.replace(p, secret.size(), "<redacted>");
  return text;
}

// Thrown by post_review: the review could not be made. `status` is the answer to give.
struct ReviewFailed {
  int status;
  std::string error;  // secret-free
};

// POSTs a review and returns its parsed answer; throws ReviewFailed.
rapidjson::Document post_review(const Client& client, const char* path, const std::string& body,
                                const std::string& token) {
  Client::Raw raw;
  try {
    raw = client.request("POST", path, body, "application/json");
  } catch (const std::exception& e) {  // credentials of our own that cannot be read
    throw ReviewFailed{500, redact(std::string("POST ") + path + ": " + e.what(), token)};
  }
  if (raw.status < 200 || raw.status > 299) {
    const bool transient = raw.status == 0 || raw.status == 429 || raw.status >= 500;
    std::string error = raw.status == 0
                            ? std::string("POST ") + path + ": network error: " + raw.body + " (" +
                                  client.config().server + ")"
                            : api_error("POST", path, raw.status, raw.body).what();
    if (raw.status == 401 || raw.status == 403)
      error +=
          " (the updater's ServiceAccount needs create on tokenreviews.authentication.k8s.io and "
          "subjectaccessreviews.authorization.k8s.io: ClusterRole "
          "argocd-image-updater-metrics-auth-role)";
    throw ReviewFailed{transient ? 503 : 500, redact(std::move(error), token)};
  }
  rapidjson::Document d;
  d.Parse(raw.body.data(), raw.body.size());
  if (d.HasParseError() || !d.IsObject())
    throw ReviewFailed{500, std::string("POST ") + path + ": the answer is not a JSON object"};
  return d;
}

const rapidjson::Value* member(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(name);
  return it == v.MemberEnd() ? nullptr : &it->value;
}

bool true_member(const rapidjson::Value& v, const char* name) {
  const rapidjson::Value* m = member(v, name);
  return m != nullptr && m->IsBool() && m->GetBool();
}

std::string string_member(const rapidjson::Value& v, const char* name) {
  const rapidjson::Value* m = member(v, name);
  return m != nullptr && m->IsString() ? std::string(m->GetString(), m->GetStringLength())
                                       : std::string();
}

std::string token_review_body(const std::string& token) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("apiVersion");
  w.String("authentication.k8s.io/v1");
  w.Key("kind");
  w.String("TokenReview");
  w.Key("spec");
  w.StartObject();
  w.Key("token");
  w.String(token.data(), static_cast<rapidjson::SizeType>(token.size()));
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

// The user of a TokenReview's status, copied as the subject of a SubjectAccessReview.
std::string access_review_body(const rapidjson::Value& user, const std::string& verb,
                               const std::string& path) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("apiVersion");
  w.String("authorization.k8s.io/v1");
  w.Key("kind");
  w.String("SubjectAccessReview");
  w.Key("spec");
  w.StartObject();
  const std::string name = string_member(user, "username");
  w.Key("user");
  w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  if (const std::string uid = string_member(user, "uid"); !uid.empty()) {
    w.Key("uid");
    w.String(uid.data(), static_cast<rapidjson::SizeType>(uid.size()));
  }
  if (const rapidjson::Value* groups = member(user, "groups"); groups && groups->IsArray()) {
    w.Key("groups");
    w.StartArray();
    for (const auto& g : groups->GetArray())
      if (g.IsString()) w.String(g.GetString(), g.GetStringLength());
    w.EndArray();
  }
  if (const rapidjson::Value* extra = member(user, "extra"); extra && extra->IsObject()) {
    w.Key("extra");
    extra->Accept(w);
  }
  w.Key("nonResourceAttributes");
  w.StartObject();
  w.Key("path");
  w.String(path.data(), static_cast<rapidjson::SizeType>(path.size()));
  w.Key("verb");
  w.String(verb.data(), static_cast<rapidjson::SizeType>(verb.size()));
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

// ---- AccessDecisionCache

AccessDecisionCache::AccessDecisionCache(std::chrono::milliseconds ttl, size_t max_entries,
                                         Clock clock)
    : ttl_(ttl), max_entries_(std::max<size_t>(1, max_entries)), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
}

void AccessDecisionCache::evict_expired(std::chrono::steady_clock::time_point now) {
  // The TTL is the same for every entry: insertion order is expiry order.
  while (!order_.empty()) {
    auto it = entries_.find(order_.front());
    if (it != entries_.end() && it->second.expires > now) break;
    if (it != entries_.end()) entries_.erase(it);
    order_.pop_front();
  }
}

std::optional<AccessDecision> AccessDecisionCache::find(const std::string& key) {
  std::lock_guard lock(mu_);
  evict_expired(clock_());
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second.decision;
}

void AccessDecisionCache::put(const std::string& key, AccessDecision decision) {
  std::lock_guard lock(mu_);
  const auto now = clock_();
  evict_expired(now);
  if (auto it = entries_.find(key); it != entries_.end()) {
    order_.erase(it->second.order);
    entries_.erase(it);
  }
  while (entries_.size() >= max_entries_ && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(key);
  entries_.emplace(key, Entry{std::move(decision), now + ttl_, std::prev(order_.end())});
}

size_t AccessDecisionCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

// ---- MetricsAuthorizer

std::string bearer_token(std::string_view authorization) {
  // As k8s.io/apiserver's bearertoken authenticator: trim, split at spaces into at most three
  // parts, the first must be "bearer" in any case, the second is the token.
  while (!authorization.empty() && std::isspace(static_cast<unsigned char>(authorization.front())))
    authorization.remove_prefix(1);
  while (!authorization.empty() && std::isspace(static_cast<unsigned char>(authorization.back())))
    authorization.remove_suffix(1);
  const size_t space = authorization.find(' ');
  if (space == std::string_view::npos) return {};
  std::string scheme(authorization.substr(0, space));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer") return {};
  std::string_view rest = authorization.substr(space + 1);
  return std::string(rest.substr(0, rest.find(' ')));
}

MetricsAuthorizer::MetricsAuthorizer(std::shared_ptr<const Client> client,
                                     MetricsAuthOptions options)
    : client_(std::move(client)),
      cache_(options.cache_ttl, options.cache_max_entries, std::move(options.clock)) {}

MetricsAuthorizer::~MetricsAuthorizer() = default;

AccessDecision MetricsAuthorizer::check(std::string_view authorization, std::string_view method,
                                        std::string_view path) {
  const std::string token = bearer_token(authorization);
  if (token.empty()) {
    log::debug("metrics request without a bearer token: 401");
    return {401, "Unauthorized"};
  }
  std::string verb(method);
  for (char& c : verb) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string p(path);
  const std::string key = cache_key(token, verb, p);
  if (auto cached = cache_.find(key)) return *cached;
  AccessDecision d = review(token, verb, p);
  if (d.status == 200 || d.status == 401 || d.status == 403) cache_.put(key, d);
  return d;
}

AccessDecision MetricsAuthorizer::review(const std::string& token, const std::string& verb,
                                         const std::string& path) const {
  // 1. Authentication.
  rapidjson::Document tr;
  try {
    tr = post_review(*client_, kTokenReviewPath, token_review_body(token), token);
  } catch (const ReviewFailed& f) {
    log::error("metrics request refused: the TokenReview failed", {{"error", f.error}});
    return {f.status, "Authentication failed: the TokenReview could not be made"};
  }
  const rapidjson::Value* status = member(tr, "status");
  if (status == nullptr || !true_member(*status, "authenticated")) {
    std::string why = status ? string_member(*status, "error") : std::string();
    log::debug("metrics request with a token the API server did not authenticate: 401",
               {{"reason", redact(why, token)}});
    return {401, "Unauthorized"};
  }
  const rapidjson::Value* user = member(*status, "user");
  const std::string name = user ? string_member(*user, "username") : std::string();
  if (name.empty()) {
    log::error("metrics request refused: the TokenReview names no user");
    return {500, "Authentication failed: the TokenReview names no user"};
  }
  // 2. Authorization.
  rapidjson::Document sar;
  try {
    sar = post_review(*client_, kSubjectAccessReviewPath, access_review_body(*user, verb, path),
                      token);
  } catch (const ReviewFailed& f) {
    log::error("metrics request refused: the SubjectAccessReview failed",
               {{"user", name}, {"error", f.error}});
    return {f.status, "Authorization for user " + name + " failed"};
  }
  const rapidjson::Value* sstatus = member(sar, "status");
  if (sstatus == nullptr || !true_member(*sstatus, "allowed")) {
    log::debug("metrics request denied: 403",
               {{"user", name},
                {"verb", verb},
                {"path", path},
                {"reason", sstatus ? string_member(*sstatus, "reason") : std::string()}});
    return {403, "Authorization denied for user " + name};
  }
  return {200, {}};
}

}  // namespace iu::kube
