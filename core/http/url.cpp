#include "http/url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <memory>

namespace iu::http {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::optional<std::string> get_part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return std::nullopt;
  std::string s(out);
  curl_free(out);
  return s;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool secret_param(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kWords = {
      "token", "signature", "credential", "password", "secret", "key", "auth", "code", "sig"};
  std::string n = lower(std::string(name));
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view w) { return n.find(w) != std::string::npos; });
}

std::string redact_query(std::string_view query) {
  std::string out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    std::string_view item =
        query.substr(start, amp == std::string_view::npos ? query.npos : amp - start);
    size_t eq = item.find('=');
    if (!out.empty() || start > 0) out += '&';
    if (eq != std::string_view::npos && secret_param(item.substr(0, eq))) {
      out.append(item.substr(0, eq + 1)).append("REDACTED");
    } else {
      out.append(item);
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

}  // namespace

std::string UrlParts::authority() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port.empty() ? h : h + ":" + port;
}

std::optional<UrlParts> parse_http_url(std::string_view url, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<UrlParts> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  UrlHandle u(curl_url());
  if (!u) return fail("out of memory");
  std::string text(url);
  if (CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
      rc != CURLUE_OK) {
    return fail(curl_url_strerror(rc));
  }
  UrlParts parts;
  parts.scheme = lower(get_part(u.get(), CURLUPART_SCHEME).value_or(""));
  if (parts.scheme != "http" && parts.scheme != "https")
    return fail("unsupported scheme \"" + parts.scheme + "\" (want http or https)");
  parts.host = get_part(u.get(), CURLUPART_HOST).value_or("");
  if (parts.host.empty()) return fail("no host");
  if (parts.host.size() > 2 && parts.host.front() == '[' && parts.host.back() == ']')
    parts.host = parts.host.substr(1, parts.host.size() - 2);
  parts.port = get_part(u.get(), CURLUPART_PORT).value_or("");
  return parts;
}

std::string redact_url(std::string_view url) {
  UrlHandle u(curl_url());
  std::string text(url);
  if (!u ||
      curl_url_set(u.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
    return "<invalid URL>";
  curl_url_set(u.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_PASSWORD, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_OPTIONS, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0);
  if (auto q = get_part(u.get(), CURLUPART_QUERY)) {
    std::string redacted = redact_query(*q);
    curl_url_set(u.get(), CURLUPART_QUERY, redacted.c_str(), 0);
  }
  return get_part(u.get(), CURLUPART_URL).value_or("<invalid URL>");
}

}  // namespace iu::http
