#include "credentials/docker_config.hpp"

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>

#include "model/image_ref.hpp"

namespace iu::credentials {
namespace {

std::string_view strip_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() >= prefix.size() &&
      std::equal(prefix.begin(), prefix.end(), s.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    s.remove_prefix(prefix.size());
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view host_of(std::string_view normalized) {
  return normalized.substr(0, normalized.find('/'));
}

// True when `key` equals `target` or is a prefix of it ending at a `/`.
bool prefixes_at_boundary(std::string_view key, std::string_view target) {
  if (target.size() < key.size() || target.substr(0, key.size()) != key) return false;
  return target.size() == key.size() || target[key.size()] == '/';
}

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

[[noreturn]] void fail(std::string_view ref, const std::string& what) {
  throw CredentialError(std::string(ref) + ": " + what);
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::string normalize_auths_key(std::string_view key) {
  std::string_view s = strip_prefix(key, "https://");
  if (s.size() == key.size()) s = strip_prefix(key, "http://");
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  if (ends_with(s, "/v1") || ends_with(s, "/v2")) s.remove_suffix(3);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  std::string out(s);
  size_t host_end = std::min(out.find('/'), out.size());
  std::transform(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(host_end), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<size_t> choose_auths_entry(const std::vector<std::string>& keys,
                                         std::string_view registry_host,
                                         std::string_view repository) {
  const std::string registry = normalize_auths_key(registry_host);
  const std::string host(host_of(registry));
  if (host.empty()) return std::nullopt;
  const bool hub = model::is_docker_hub(host);
  std::string target = registry;
  if (!repository.empty()) target += "/" + std::string(repository);

  std::optional<size_t> exact, exact_literal, longest;
  size_t longest_len = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string key = normalize_auths_key(keys[i]);
    if (key.empty()) continue;
    const bool has_path = key.find('/') != std::string::npos;
    if (!has_path && (key == host || (hub && model::is_docker_hub(key)))) {
      if (key == host && !exact_literal) exact_literal = i;
      if (!exact) exact = i;
      continue;
    }
    // A Docker Hub key with a path (`docker.io/acme`) fits any Docker Hub host.
    std::string comparable = key;
    if (hub && model::is_docker_hub(host_of(key)))
      comparable = host + key.substr(host_of(key).size());
    if (prefixes_at_boundary(comparable, target) && comparable.size() > longest_len) {
      longest = i;
      longest_len = comparable.size();
    }
  }
  if (exact_literal) return exact_literal;
  if (exact) return exact;
  return longest;
}

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') {
      // Padding only as the last one or two characters.
      if (i + 2 < text.size()) return std::nullopt;
      ++padding;
    } else if (!is_base64_char(c) || padding > 0) {
      return std::nullopt;
    }
  }
  if (text.empty()) return std::string();
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) < padding) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

Credential credential_from_docker_config(std::string_view json, std::string_view registry_host,
                                         std::string_view repository, std::string_view ref_text) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    fail(ref_text, ".dockerconfigjson: invalid JSON at offset " +
                       std::to_string(doc.GetErrorOffset()) + ": " +
                       rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) fail(ref_text, ".dockerconfigjson: expected a JSON object");
  auto auths_it = doc.FindMember("auths");
  if (auths_it == doc.MemberEnd()) fail(ref_text, ".dockerconfigjson: missing \"auths\"");
  const rapidjson::Value& auths = auths_it->value;
  if (!auths.IsObject()) fail(ref_text, ".dockerconfigjson: \"auths\" is not an object");

  std::vector<std::string> keys;
  for (auto it = auths.MemberBegin(); it != auths.MemberEnd(); ++it)
    keys.emplace_back(it->name.GetString(), it->name.GetStringLength());
  auto chosen = choose_auths_entry(keys, registry_host, repository);
  if (normalize_auths_key(registry_host).empty())
    fail(ref_text, ".dockerconfigjson: no registry host given to choose an \"auths\" entry");
  if (!chosen) {
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + quote(k);
    fail(ref_text,
         ".dockerconfigjson: no \"auths\" entry for registry " +
             quote(normalize_auths_key(registry_host)) +
             (keys.empty() ? std::string(" (\"auths\" is empty)") : " (entries: " + list + ")"));
  }
  const std::string field = "auths[" + quote(keys[*chosen]) + "]";
  const rapidjson::Value& entry = (auths.MemberBegin() + static_cast<long>(*chosen))->value;
  if (!entry.IsObject()) fail(ref_text, field + ": expected an object");

  Credential cred;
  cred.identity = std::string(ref_text);
  auto auth = entry.FindMember("auth");
  if (auth != entry.MemberEnd() &&
      !(auth->value.IsString() && auth->value.GetStringLength() == 0)) {
    if (!auth->value.IsString()) fail(ref_text, field + ".auth: expected a string");
    auto decoded =
        decode_base64(std::string_view(auth->value.GetString(), auth->value.GetStringLength()));
    if (!decoded) fail(ref_text, field + ".auth: invalid base64");
    size_t colon = decoded->find(':');
    if (colon == std::string::npos)
      fail(ref_text, field + ".auth: decoded value is not in the form user:password");
    cred.username = decoded->substr(0, colon);
    cred.password = decoded->substr(colon + 1);
    return cred;
  }
  auto user = entry.FindMember("username");
  auto pass = entry.FindMember("password");
  if (user == entry.MemberEnd() && pass == entry.MemberEnd())
    fail(ref_text, field + ": neither \"auth\" nor \"username\"/\"password\" is set");
  if (user == entry.MemberEnd() || !user->value.IsString())
    fail(ref_text, field + ".username: missing or not a string");
  if (pass == entry.MemberEnd() || !pass->value.IsString())
    fail(ref_text, field + ".password: missing or not a string");
  cred.username.assign(user->value.GetString(), user->value.GetStringLength());
  cred.password.assign(pass->value.GetString(), pass->value.GetStringLength());
  return cred;
}

}  // namespace iu::credentials
