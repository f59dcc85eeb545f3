// One attempt of a request on the wire: a libcurl easy handle configured with the transport
// defaults of SPEC §7.4 and the endpoint's TLS settings, plus what the attempt collects
// (status line, headers, body up to the size limit). Used only on the transfer thread.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <memory>
#include <string>

#include "http/http_service.hpp"
#include "http/url.hpp"

namespace iu::http {

// Responses above this size fail unless the request sets its own limit (SPEC §7.3: the
// largest registry document, a tag page, is 16 MiB).
inline constexpr uint64_t kDefaultMaxBodyBytes = uint64_t{16} << 20;

struct TransferSettings {
  bool insecure = false;
  std::shared_ptr<const std::string> ca_bundle;  // null: the system roots only
  std::string proxy;                             // "" = direct
  std::string no_proxy;                          // NO_PROXY, matched by libcurl
  CURLSH* share = nullptr;                       // TLS session cache shared by all transfers
};

struct TransferResult {
  CURLcode code = CURLE_OK;
  bool body_too_large = false;
  std::string error_text;  // libcurl's detailed message ("" on success)
  Response response;       // status 0 when no response arrived
  double seconds = 0;
};

class Transfer {
 public:
  // Configures `easy` (freshly reset, owned by the caller) for one attempt of `request`. The
  // request and the settings' CA bundle must outlive the transfer. `private_data` is stored as
  // CURLOPT_PRIVATE. Throws std::runtime_error when libcurl refuses an option.
  Transfer(CURL* easy, const Request& request, const UrlParts& url,
           const TransferSettings& settings, void* private_data);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_; }

  // Collects the outcome once libcurl reported the transfer done with `code`.
  TransferResult finish(CURLcode code);

 private:
  static size_t on_header(char* data, size_t size, size_t n, void* self);
  static size_t on_body(char* data, size_t size, size_t n, void* self);
  template <typename T>
  void set(CURLoption option, T value);

  CURL* easy_;
  curl_slist* headers_ = nullptr;
  std::shared_ptr<const std::string> ca_bundle_;
  uint64_t limit_;
  bool too_large_ = false;
  Response response_;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace iu::http
