#include "fake_registry.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "iu/dockerv2/digest.hpp"

namespace iu::test {
namespace {

Reply error_reply(int status, const std::string& code, const std::string& message) {
  return Reply{status,
               {{"Content-Type", "application/json"}},
               R"({"errors":[{"code":")" + code + R"(","message":")" + message + R"("}]})"};
}

}  // namespace

std::string query_param(const std::string& url, const std::string& name) {
  size_t q = url.find('?');
  if (q == std::string::npos) return {};
  std::string query = url.substr(q + 1);
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    std::string kv = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (kv.rfind(name + "=", 0) == 0) return kv.substr(name.size() + 1);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return {};
}

FakeRegistry::FakeRegistry(Auth auth, std::string api_url) : api(std::move(api_url)), auth_(auth) {}

std::string FakeRegistry::basic(const std::string& user, const std::string& password) {
  std::string in = user + ":" + password;
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return "Basic " + out;
}

void FakeRegistry::add_tags(const std::string& repo, const std::vector<std::string>& tags) {
  std::lock_guard lock(mu_);
  auto& list = tags_[repo];
  list.insert(list.end(), tags.begin(), tags.end());
}

std::string FakeRegistry::put_manifest(const std::string& repo, const std::string& tag,
                                       const std::string& media_type, const std::string& body) {
  std::string digest = dockerv2::compute_digest("sha256", body).str();
  std::lock_guard lock(mu_);
  manifests_[repo + "@" + digest] = {media_type, body};
  if (!tag.empty()) manifests_[repo + "@" + tag] = {media_type, body};
  return digest;
}

std::string FakeRegistry::put_blob(const std::string& body) {
  std::string digest = dockerv2::compute_digest("sha256", body).str();
  std::lock_guard lock(mu_);
  blobs_[digest] = body;
  return digest;
}

void FakeRegistry::revoke_tokens() {
  std::lock_guard lock(mu_);
  valid_tokens_.clear();
}

Reply FakeRegistry::handle(const SeenRequest& r) {
  if (intercept)
    if (auto reply = intercept(r)) return *reply;
  if (r.url.rfind(realm, 0) == 0) return token(r);
  if (r.url.rfind(api + "/v2/", 0) != 0) return error_reply(404, "NOT_FOUND", "not this host");
  std::string path = r.url.substr(api.size());
  path = path.substr(0, path.find('?'));
  std::string query = r.url.find('?') == std::string::npos ? "" : r.url.substr(r.url.find('?'));
  if (path == "/v2/" && ping_anonymous) return Reply{200, {}, "{}"};
  if (auto denied = unauthorized(r)) return *denied;
  if (path == "/v2/") return Reply{200, {}, "{}"};
  std::string rest = path.substr(4);  // after "/v2/"
  for (std::string_view kind : {"/tags/list", "/manifests/", "/blobs/"}) {
    size_t at = rest.find(kind);
    if (at == std::string::npos) continue;
    std::string repo = rest.substr(0, at);
    std::string ref = rest.substr(at + kind.size());
    if (kind == "/tags/list") return tags(repo, query);
    if (kind == "/manifests/") return manifest(repo, ref);
    std::lock_guard lock(mu_);
    auto it = blobs_.find(ref);
    if (it == blobs_.end()) return error_reply(404, "BLOB_UNKNOWN", "blob unknown to registry");
    return Reply{200, {{"Content-Type", "application/octet-stream"}}, it->second};
  }
  return error_reply(404, "NOT_FOUND", "no such route");
}

Reply FakeRegistry::token(const SeenRequest& r) {
  if (token_delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(token_delay_ms));
  std::string auth = r.header("Authorization");
  if (auth.empty() ? !anonymous_tokens : auth != basic(user, password))
    return Reply{401,
                 {{"WWW-Authenticate", R"(Basic realm="fake-token-server")"}},
                 R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})"};
  std::string tok = "tok-" + std::to_string(++issued_);
  {
    std::lock_guard lock(mu_);
    valid_tokens_.insert(tok);
  }
  std::string body = R"({"token":")" + tok + R"(")";
  if (expires_in) body += R"(,"expires_in":)" + std::to_string(*expires_in);
  return Reply{200, {{"Content-Type", "application/json"}}, body + "}"};
}

std::optional<Reply> FakeRegistry::unauthorized(const SeenRequest& r) {
  std::string auth = r.header("Authorization");
  switch (auth_) {
    case Auth::none:
      return std::nullopt;
    case Auth::basic:
      if (auth == basic(user, password)) return std::nullopt;
      return Reply{401,
                   {{"WWW-Authenticate", R"(Basic realm="fake-registry")"}},
                   R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})"};
    case Auth::bearer: {
      std::lock_guard lock(mu_);
      if (auth.rfind("Bearer ", 0) == 0 && !refuse_all_ && valid_tokens_.count(auth.substr(7)) != 0)
        return std::nullopt;
      return Reply{401,
                   {{"WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"" + service +
                                             "\",scope=\"repository:x:pull\""}},
                   R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})"};
    }
  }
  return std::nullopt;
}

Reply FakeRegistry::tags(const std::string& repo, const std::string& query) {
  std::vector<std::string> all;
  {
    std::lock_guard lock(mu_);
    auto it = tags_.find(repo);
    if (it == tags_.end())
      return error_reply(404, "NAME_UNKNOWN", "repository name not known to registry");
    all = it->second;
  }
  std::string n_text = query_param(query, "n");
  uint32_t n = n_text.empty() ? page_size : static_cast<uint32_t>(std::stoul(n_text));
  std::string last = query_param(query, "last");
  size_t start = 0;
  if (!last.empty())
    start = static_cast<size_t>(std::find(all.begin(), all.end(), last) - all.begin()) + 1;
  size_t end = (page_size == 0 || n == 0) ? all.size() : std::min(all.size(), start + n);
  std::string body = R"({"name":")" + repo + R"(","tags":[)";
  for (size_t i = start; i < end; ++i) body += (i == start ? "\"" : ",\"") + all[i] + "\"";
  Reply reply{200, {{"Content-Type", "application/json"}}, body + "]}"};
  if (end < all.size())
    reply.headers.emplace_back("Link", "</v2/" + repo + "/tags/list?n=" + std::to_string(n) +
                                           "&last=" + all[end - 1] + ">; rel=\"next\"");
  return reply;
}

Reply FakeRegistry::manifest(const std::string& repo, const std::string& ref) {
  std::lock_guard lock(mu_);
  auto it = manifests_.find(repo + "@" + ref);
  if (it == manifests_.end()) return error_reply(404, "MANIFEST_UNKNOWN", "manifest unknown");
  const auto& [type, body] = it->second;
  std::string digest = dockerv2::compute_digest("sha256", body).str();
  return Reply{200, {{"Content-Type", type}, {"Docker-Content-Digest", digest}}, body};
}

}  // namespace iu::test
