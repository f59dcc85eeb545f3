#include "auth_token.hpp"

#include <rapidjson/document.h>

#include <cmath>

#include "text.hpp"

namespace iu::registry_ecr {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kMaxMargin = std::chrono::minutes(30);

}  // namespace

AuthTokenProvider::AuthTokenProvider(EcrApi& api, std::string account)
    : api_(api), account_(std::move(account)) {}

dockerv2::BasicCredentials AuthTokenProvider::credentials(sdk::Call& call,
                                                          const sdk::RepoRequest& request) {
  if (!request.anonymous())
    return dockerv2::BasicCredentials{std::string(request.username), std::string(request.password),
                                      std::string(request.identity)};
  Token t = token_.get(call, [&] { return fetch(call); });
  return dockerv2::BasicCredentials{"AWS", std::move(t.password), std::move(t.identity)};
}

void AuthTokenProvider::rejected(sdk::Call& call, const dockerv2::BasicCredentials& rejected) {
  if (rejected.username != "AWS") return;
  if (token_.drop_if([&](const Token& t) { return t.password == rejected.password; }))
    call.debug("registry " + api_.registry() + ": the registry rejected " + rejected.identity +
               "; a new one will be fetched");
  rejections_.fetch_add(1);
}

Refreshing<AuthTokenProvider::Token>::Held AuthTokenProvider::fetch(sdk::Call& call) {
  const std::string body =
      account_.empty() ? std::string("{}") : "{\"registryIds\":[\"" + account_ + "\"]}";
  const std::string text = api_.call(call, "GetAuthorizationToken", body, "token");
  const std::string what = "registry " + api_.registry() + ": ECR GetAuthorizationToken";
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("authorizationData") ||
      !doc["authorizationData"].IsArray() || doc["authorizationData"].Empty() ||
      !doc["authorizationData"][0].IsObject())
    throw sdk::Error(IU_STATUS_INTERNAL, what + ": HTTP 200 without authorizationData");
  const rapidjson::Value& data = doc["authorizationData"][0];
  if (!data.HasMember("authorizationToken") || !data["authorizationToken"].IsString())
    throw sdk::Error(IU_STATUS_INTERNAL,
                     what + ": authorizationData[0].authorizationToken is missing");
  std::optional<std::string> decoded = base64_decode(std::string_view(
      data["authorizationToken"].GetString(), data["authorizationToken"].GetStringLength()));
  if (!decoded || !decoded->starts_with("AWS:") || decoded->size() == 4)
    throw sdk::Error(IU_STATUS_INTERNAL, what +
                                             ": authorizationData[0].authorizationToken is not "
                                             "Base64 of AWS:<password>");
  if (!data.HasMember("expiresAt") || !data["expiresAt"].IsNumber())
    throw sdk::Error(IU_STATUS_INTERNAL, what + ": authorizationData[0].expiresAt is missing");
  const double expires_s = data["expiresAt"].GetDouble();
  const auto now_sys = std::chrono::system_clock::now();
  const auto expires_sys = std::chrono::system_clock::time_point(
      std::chrono::milliseconds(std::llround(expires_s * 1000.0)));
  const auto life = std::chrono::duration_cast<Clock::duration>(expires_sys - now_sys);
  const auto margin = std::min<Clock::duration>(life / 10, kMaxMargin);
  const auto now = Clock::now();
  const uint64_t n = fetches_.fetch_add(1) + 1;
  Token t{decoded->substr(4), "ECR token #" + std::to_string(n)};
  call.debug(what + ": new token #" + std::to_string(n) + ", valid for " +
             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(life).count()) +
             " s, refreshed " +
             std::to_string(std::chrono::duration_cast<std::chrono::seconds>(margin).count()) +
             " s before expiry");
  return {std::move(t), now + life - margin, now + life};
}

}  // namespace iu::registry_ecr
