#include "http/transfer.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

namespace iu::http {
namespace {

// SPEC §7.4 transport defaults.
constexpr long kConnectTimeoutMs = 30000;    // dial (libcurl's includes the TLS handshake)
constexpr long kKeepAliveSeconds = 30;       // TCP keep-alive idle and interval
constexpr long kIdleConnectionSeconds = 90;  // reuse a pooled connection at most this old
constexpr long kStallSeconds = 60;           // response header and body read idle timeout
constexpr long kExpectContinueMs = 1000;
constexpr long kMaxRedirects = 10;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

template <typename T>
void Transfer::set(CURLoption option, T value) {
  if (CURLcode rc = curl_easy_setopt(easy_, option, value); rc != CURLE_OK)
    throw std::runtime_error(std::string("libcurl option ") +
                             std::to_string(static_cast<int>(option)) +
                             " refused: " + curl_easy_strerror(rc));
}

Transfer::Transfer(CURL* easy, const Request& request, const UrlParts& url,
                   const TransferSettings& settings, void* private_data)
    : easy_(easy),
      ca_bundle_(settings.ca_bundle),
      limit_(request.max_body_bytes == 0 ? kDefaultMaxBodyBytes : request.max_body_bytes) {
  const bool https = url.scheme == "https";
  set(CURLOPT_PRIVATE, private_data);
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_ERRORBUFFER, error_);
  set(CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  set(CURLOPT_HEADERDATA, this);
  set(CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  set(CURLOPT_WRITEDATA, this);

  // Method and body. The body stays owned by the request (no copy per attempt).
  if (request.method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET" && request.body.empty()) {
    set(CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST") set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
        request.method == "PATCH") {
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      set(CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's spelling of a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers_ = curl_slist_append(headers_, line.c_str());
    if (headers_ == nullptr) throw std::runtime_error("out of memory building request headers");
  }

  if (!request.aws_sigv4.empty()) {
    // "KEY:SECRET[:SESSION_TOKEN]": libcurl signs with KEY:SECRET; the session token travels as
    // a header that libcurl includes in the signature.
    std::string_view creds = request.aws_credentials;
    size_t first = creds.find(':');
    size_t second = first == std::string_view::npos ? first : creds.find(':', first + 1);
    std::string userpwd(creds.substr(0, second));
    if (second != std::string_view::npos) {
      std::string line = "X-Amz-Security-Token: " + std::string(creds.substr(second + 1));
      headers_ = curl_slist_append(headers_, line.c_str());
      if (headers_ == nullptr) throw std::runtime_error("out of memory building request headers");
    }
    set(CURLOPT_AWS_SIGV4, request.aws_sigv4.c_str());
    set(CURLOPT_USERPWD, userpwd.c_str());
  }
  if (headers_ != nullptr) set(CURLOPT_HTTPHEADER, headers_);

  // libcurl silently resends a request whose reused connection died before any answer. Fine
  // for idempotent requests (Go's transport does the same); a non-idempotent one must never be
  // sent twice, so it always gets a connection of its own.
  if (!request.idempotent) set(CURLOPT_FRESH_CONNECT, 1L);

  if (request.follow_redirects) {
    // libcurl keeps Authorization (and credentials) for the first host only unless
    // CURLOPT_UNRESTRICTED_AUTH is set, which we never do.
    set(CURLOPT_FOLLOWLOCATION, 1L);
    set(CURLOPT_MAXREDIRS, kMaxRedirects);
  }

  // Transport defaults (SPEC §7.4).
  set(CURLOPT_HTTP_VERSION, https ? long{CURL_HTTP_VERSION_2TLS} : long{CURL_HTTP_VERSION_1_1});
  if (https) set(CURLOPT_PIPEWAIT, 1L);  // prefer multiplexing on an existing HTTP/2 connection
  set(CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  set(CURLOPT_TCP_KEEPIDLE, kKeepAliveSeconds);
  set(CURLOPT_TCP_KEEPINTVL, kKeepAliveSeconds);
  set(CURLOPT_MAXAGE_CONN, kIdleConnectionSeconds);
  set(CURLOPT_LOW_SPEED_LIMIT, 1L);
  set(CURLOPT_LOW_SPEED_TIME, kStallSeconds);
  set(CURLOPT_EXPECT_100_TIMEOUT_MS, kExpectContinueMs);
  set(CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate decoded transparently, as Go's transport
  // Refuse a too large body from its Content-Length before reading it. Not for HEAD: its
  // Content-Length describes a body that never comes (a large blob is fine to HEAD).
  if (request.method != "HEAD") set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limit_));
  if (request.timeout.count() > 0)
    set(CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));

  // Proxy: always explicit, so libcurl's own environment lookup never second-guesses ours.
  // CURLOPT_NOPROXY is always set too: without it libcurl would read NO_PROXY itself.
  set(CURLOPT_PROXY, settings.proxy.c_str());
  set(CURLOPT_NOPROXY, settings.no_proxy.c_str());

  // TLS.
  set(CURLOPT_SSLVERSION, long{CURL_SSLVERSION_TLSv1_2});
  if (settings.insecure) {
    set(CURLOPT_SSL_VERIFYPEER, 0L);
    set(CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (ca_bundle_) {
    curl_blob blob{const_cast<char*>(ca_bundle_->data()), ca_bundle_->size(), CURL_BLOB_NOCOPY};
    set(CURLOPT_CAINFO_BLOB, &blob);
  }
  if (settings.share != nullptr) set(CURLOPT_SHARE, settings.share);
}

Transfer::~Transfer() { curl_slist_free_all(headers_); }

size_t Transfer::on_header(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line: an interim (100) or redirect response came before. Keep only the
    // final response's headers.
    t->response_.headers.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return size * n;
  std::string name(trim(line.substr(0, colon)));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  t->response_.headers.emplace_back(std::move(name), std::string(trim(line.substr(colon + 1))));
  return size * n;
}

size_t Transfer::on_body(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  size_t bytes = size * n;
  if (t->response_.body.size() + bytes > t->limit_) {
    t->too_large_ = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->response_.body.append(data, bytes);
  return bytes;
}

TransferResult Transfer::finish(CURLcode code) {
  TransferResult r;
  r.code = code;
  r.body_too_large = too_large_ || code == CURLE_FILESIZE_EXCEEDED;
  if (code != CURLE_OK) r.error_text = error_[0] != '\0' ? error_ : curl_easy_strerror(code);
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  char* url = nullptr;
  curl_easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &url);
  long version = 0;
  curl_easy_getinfo(easy_, CURLINFO_HTTP_VERSION, &version);
  curl_off_t micros = 0;
  curl_easy_getinfo(easy_, CURLINFO_TOTAL_TIME_T, &micros);
  r.seconds = static_cast<double>(micros) / 1e6;
  if (code == CURLE_OK) {
    r.response = std::move(response_);
    r.response.status = static_cast<int>(status);
    r.response.effective_url = url != nullptr ? url : "";
    r.response.http_version = version == CURL_HTTP_VERSION_2_0 ? 2 : 1;
  }
  return r;
}

}  // namespace iu::http
