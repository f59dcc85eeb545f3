// Authentication rules per type (SPEC §12.2) and the request-level checks of §12.1.
#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "webhook/webhook.hpp"

namespace iu::webhook {
namespace {

std::string header(const server::Request& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

std::string query(const server::Request& r, const std::string& name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

std::string hmac_sha256_hex(const std::string& key, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

// True when the request carries the type's proof of the secret.
bool authenticated(const std::string& type, const server::Request& r, const std::string& secret) {
  if (type == "docker.io" || type == "quay.io" || type == "aliyun-acr")
    return secure_equals(query(r, "secret"), secret);
  if (type == "ghcr.io") {
    std::string sig = header(r, "x-hub-signature-256");
    const std::string prefix = "sha256=";
    if (sig.rfind(prefix, 0) != 0) return false;
    std::string got = sig.substr(prefix.size());
    std::transform(got.begin(), got.end(), got.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return secure_equals(got, hmac_sha256_hex(secret, r.body));
  }
  if (type == "harbor" || type == "acr") return secure_equals(header(r, "authorization"), secret);
  if (type == "cloudevents")
    return secure_equals(query(r, "secret"), secret) ||
           secure_equals(header(r, "x-webhook-secret"), secret);
  if (type == "registry")
    return secure_equals(header(r, "authorization"), "Bearer " + secret) ||
           secure_equals(header(r, "x-webhook-secret"), secret);
  return false;
}

}  // namespace

bool secure_equals(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

const std::vector<std::string>& known_types() {
  static const std::vector<std::string> types{"docker.io",  "ghcr.io", "quay.io",     "harbor",
                                              "aliyun-acr", "acr",     "cloudevents", "registry"};
  return types;
}

Outcome handle_request(const server::Request& r, const Settings& settings) {
  Outcome out;
  out.type = query(r, "type");
  if (out.type.empty()) out.type = header(r, "x-registry-type");
  if (r.method != "POST") {
    out.status = 405;
    out.message = "method " + r.method + " not allowed: use POST";
    return out;
  }
  const auto& types = known_types();
  if (std::find(types.begin(), types.end(), out.type) == types.end()) {
    out.status = 404;
    out.message = out.type.empty() ? "missing webhook type (?type= or X-Registry-Type)"
                                   : "unknown webhook type \"" + out.type + "\"";
    return out;
  }
  auto it = settings.secrets.find(out.type);
  std::string secret = it == settings.secrets.end() ? std::string() : it->second;
  if (secret.empty()) {
    if (settings.require_secret) {
      out.status = 404;
      out.message = "webhook type \"" + out.type + "\" is not served: no secret is configured";
      return out;
    }
  } else if (!authenticated(out.type, r, secret)) {
    out.status = 401;
    out.message = "missing or wrong secret for webhook type \"" + out.type + "\"";
    return out;
  }
  Outcome parsed = parse_payload(out.type, r);
  parsed.type = out.type;
  return parsed;
}

}  // namespace iu::webhook
