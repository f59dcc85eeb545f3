#include "session.hpp"

#include <openssl/evp.h>

#include <random>

#include "errors.hpp"
#include "iu/dockerv2/digest.hpp"
#include "iu/dockerv2/documents.hpp"

namespace iu::dockerv2::detail {
namespace {

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

std::string basic_authorization(const BasicCredentials& c) {
  return "Basic " + base64(c.username + ":" + c.password);
}

// A cache identity for credentials that came without one: a hash salted per process, so that
// cache keys never carry anything that could be turned back into the password.
std::string derived_identity(const BasicCredentials& c) {
  static const std::string salt = [] {
    std::random_device rd;
    return std::to_string(rd()) + "-" + std::to_string(rd()) + "-" + std::to_string(rd());
  }();
  std::string material = salt;
  material += '\0';
  material += c.username;
  material += '\0';
  material += c.password;
  return "credentials#" + compute_digest("sha256", material).encoded.substr(0, 24);
}

std::string credential_text(const Operation& op) {
  if (op.credentials.anonymous()) return "no credentials are configured";
  if (op.named) return "credentials \"" + op.identity + "\" were rejected";
  return "the configured credentials were rejected";
}

AuthChallenge offered_challenge(const sdk::HttpResponse& response) {
  std::vector<Challenge> all;
  for (std::string_view v : header_values(response, "www-authenticate")) {
    auto some = parse_challenges(v);
    all.insert(all.end(), some.begin(), some.end());
  }
  return select_challenge(all);
}

}  // namespace

Session::Session(const Endpoint& endpoint, std::shared_ptr<CredentialProvider> provider)
    : endpoint_(endpoint), provider_(std::move(provider)) {}

Operation Session::begin(sdk::Call& call, const sdk::RepoRequest& request) {
  Operation op;
  op.repository = std::string(request.repository);
  op.credentials = provider_->credentials(call, request);
  if (!op.credentials.identity.empty()) {
    op.identity = op.credentials.identity;
    op.named = true;
  } else if (!op.credentials.anonymous()) {
    op.identity = derived_identity(op.credentials);
  }
  return op;
}

AuthChallenge Session::challenge(sdk::Call& call) {
  {
    std::lock_guard lock(mu_);
    if (challenge_) return *challenge_;
  }
  std::lock_guard ping(ping_mu_);
  {
    std::lock_guard lock(mu_);
    if (challenge_) return *challenge_;
  }
  sdk::HttpRequest r =
      make_request("GET", endpoint_.v2_url(""), "ping", endpoint_.options.max_ping_bytes);
  sdk::HttpResponse resp = perform(call, endpoint_, r);
  const std::string subject = endpoint_.subject(r.method, r.url);
  AuthChallenge ch;
  if (resp.status == 401) {
    ch = offered_challenge(resp);
    if (ch.scheme == AuthChallenge::Scheme::none)
      fail(IU_STATUS_UNSUPPORTED, endpoint_.registry(), subject,
           "HTTP 401 without a Basic or Bearer challenge in WWW-Authenticate");
  } else if (resp.status == 404) {
    fail(IU_STATUS_INVALID_ARGUMENT, endpoint_.registry(), subject,
         http_problem(resp) + " (is api_url the URL of a Docker Registry v2 API?)");
  } else if (resp.status != 200) {
    fail(status_for_http(resp.status), endpoint_.registry(), subject, http_problem(resp));
  }
  remember(ch);
  return ch;
}

void Session::remember(const AuthChallenge& challenge) {
  std::lock_guard lock(mu_);
  challenge_ = challenge;
}

sdk::HttpResponse Session::send(sdk::Call& call, const Operation& op,
                                const sdk::HttpRequest& request) {
  AuthChallenge ch = challenge(call);
  bool adopted = false;
  bool refreshed = false;
  std::string stale;
  while (true) {
    Authorization auth = authorize(call, ch, op, stale);
    sdk::HttpRequest r = request;
    if (!auth.header.empty()) r.headers.emplace_back("Authorization", auth.header);
    sdk::HttpResponse resp = perform(call, endpoint_, r);
    if (resp.status != 401 && resp.status != 403) return resp;

    AuthChallenge next = offered_challenge(resp);
    if (!adopted && next.scheme != AuthChallenge::Scheme::none && !(next == ch)) {
      remember(next);
      ch = std::move(next);
      adopted = true;
      stale.clear();
      continue;
    }
    if (auth.cached && !refreshed) {
      tokens_.drop(auth.cache_key, auth.token);
      stale = auth.token;
      refreshed = true;
      continue;
    }
    rejected(call, op, endpoint_.subject(r.method, r.url), resp);
  }
}

Session::Authorization Session::authorize(sdk::Call& call, const AuthChallenge& ch,
                                          const Operation& op, std::string_view stale_token) {
  switch (ch.scheme) {
    case AuthChallenge::Scheme::none:
      return {};
    case AuthChallenge::Scheme::basic:
      if (op.credentials.anonymous()) return {};
      return Authorization{basic_authorization(op.credentials), {}, {}, false};
    case AuthChallenge::Scheme::bearer:
      break;
  }
  std::string scope = "repository:" + op.repository + ":" + endpoint_.token_actions();
  std::string key = ch.realm + '\n' + ch.service + '\n' + scope + '\n' + op.identity;
  TokenCache::Lookup got = tokens_.get(
      key, stale_token, [&call] { return call.cancelled(); },
      [&] { return fetch_token(call, ch, op, scope); });
  count_token_lookup(call, got.cached);
  return Authorization{"Bearer " + got.token, got.token, std::move(key), got.cached};
}

TokenCache::Fetched Session::fetch_token(sdk::Call& call, const AuthChallenge& ch,
                                         const Operation& op, const std::string& scope) {
  std::optional<Url> realm = parse_url(ch.realm);
  if (!realm)
    fail(IU_STATUS_INTERNAL, endpoint_.registry(), endpoint_.subject("GET", endpoint_.v2_url("")),
         "the Bearer challenge names an invalid realm \"" +
             (ch.realm.find('@') == std::string::npos ? ch.realm : "<redacted>") + "\"");
  std::string url = realm->str() + (realm->query.empty() ? "?" : "&");
  if (!ch.service.empty()) url += "service=" + query_escape(ch.service) + "&";
  url += "scope=" + query_escape(scope);

  sdk::HttpRequest r = make_request("GET", url, "token", endpoint_.options.max_token_bytes);
  r.headers.emplace_back("Accept", "application/json");
  if (!op.credentials.anonymous())
    r.headers.emplace_back("Authorization", basic_authorization(op.credentials));
  r.singleflight_key = "token|" + endpoint_.api.origin() + "|" + ch.realm + "|" + ch.service + "|" +
                       scope + "|" + op.identity;
  sdk::HttpResponse resp = perform(call, endpoint_, r);
  const std::string subject = endpoint_.subject(r.method, r.url);
  if (resp.status == 401 || resp.status == 403) rejected(call, op, subject, resp);
  if (resp.status != 200) {
    iu_status st = resp.status == 404 ? IU_STATUS_INTERNAL : status_for_http(resp.status);
    fail(st, endpoint_.registry(), subject, http_problem(resp));
  }
  try {
    TokenResponse t = parse_token_response(resp.body);
    call.debug("registry " + endpoint_.registry() + ": fetched a token for " + scope +
               " (valid for " + std::to_string(TokenCache::lifetime(t.expires_in).count() / 1000) +
               " s)");
    return TokenCache::Fetched{std::move(t.token), t.expires_in};
  } catch (const DocumentError& e) {
    fail(e.status(), endpoint_.registry(), subject, "HTTP 200 with " + std::string(e.what()));
  }
}

void Session::rejected(sdk::Call& call, const Operation& op, std::string_view subject,
                       const sdk::HttpResponse& response) {
  if (!op.credentials.anonymous()) provider_->rejected(call, op.credentials);
  fail(IU_STATUS_UNAUTHENTICATED, endpoint_.registry(), subject,
       http_problem(response) + ": authentication failed, " + credential_text(op));
}

void Session::count_token_lookup(sdk::Call& call, bool hit) {
  const iu_host_api* host = sdk::host_api();
  if (host == nullptr || host->metric_declare == nullptr || host->metric_update == nullptr) return;
  uint64_t id = lookups_metric_.load();
  if (id == 0) {
    id = host->metric_declare(
        call.raw(), IU_METRIC_COUNTER, sdk::str("argocd_image_updater_cache_lookups_total"),
        sdk::str("Cache lookups by cache and result"), sdk::str("cache,result"));
    if (id == 0) return;
    lookups_metric_.store(id);
  }
  host->metric_update(call.raw(), id, sdk::str(hit ? "token,hit" : "token,miss"), 1.0);
}

}  // namespace iu::dockerv2::detail
