// The stand-in host transport: one blocking libcurl easy request per call. No retries, rate
// limits or singleflight (the core service has those); enough to speak HTTP(S) to the fixtures.
#include <curl/curl.h>

#include <map>
#include <mutex>
#include <stdexcept>

#include "iu/plugin.hpp"
#include "plugin_host/call.hpp"
#include "test_transport.hpp"

namespace iu::test {
namespace {

struct Collected {
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  uint64_t limit = 0;
  bool over_limit = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* c = static_cast<Collected*>(user);
  if (c->body.size() + size * n > c->limit) {
    c->over_limit = true;
    return 0;
  }
  c->body.append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* c = static_cast<Collected*>(user);
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    c->headers.clear();  // a new response (redirect or 100 Continue) starts
  } else if (auto colon = line.find(':'); colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& ch : name) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    size_t v = line.find_first_not_of(" \t", colon + 1);
    c->headers.emplace_back(name, v == std::string::npos ? "" : line.substr(v));
  }
  return size * n;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Tls {
  std::string ca_file;
  bool insecure = false;
};

class CurlEasyTransport final : public TestTransport {
 public:
  void configure(const std::string& endpoint, const std::string& ca_file, bool insecure) override {
    std::lock_guard lock(mu_);
    tls_[endpoint] = Tls{ca_file, insecure};
  }
  std::string name() const override { return "libcurl easy (test stand-in)"; }

  iu_status http(iu_call* call, const iu_http_request* r, iu_http_response_fn fn,
                 void* user) override {
    global_init();
    Tls tls;
    if (call != nullptr && call->instance != nullptr) {
      std::lock_guard lock(mu_);
      if (auto it = tls_.find(call->instance->endpoint); it != tls_.end()) tls = it->second;
    }
    std::string method(sdk::view(r->method)), url(sdk::view(r->url));
    Collected got;
    got.limit = r->max_body_bytes == 0 ? (16u << 20) : r->max_body_bytes;
    CURL* h = curl_easy_init();
    curl_slist* headers = curl_slist_append(nullptr, "Expect:");
    for (uint64_t i = 0; i < r->header_count; ++i)
      headers = curl_slist_append(headers, (std::string(sdk::view(r->headers[i].key)) + ": " +
                                            std::string(sdk::view(r->headers[i].value)))
                                               .c_str());
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    if (method == "HEAD")
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else if (method != "GET")
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, (r->flags & IU_HTTP_FOLLOW_REDIRECTS) ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (!tls.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, tls.ca_file.c_str());
    if (tls.insecure) {
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &got);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    char* effective = nullptr;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &effective);
    std::string effective_url = effective != nullptr ? effective : url;
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);

    if (rc != CURLE_OK) {
      if (call != nullptr)
        call->error =
            method + " " + url + ": " +
            (got.over_limit ? "response larger than " + std::to_string(got.limit) + " bytes"
                            : std::string(curl_easy_strerror(rc)));
      return got.over_limit ? IU_STATUS_INVALID_ARGUMENT : IU_STATUS_TRANSIENT;
    }
    std::vector<iu_kv> kv;
    for (const auto& [k, v] : got.headers) kv.push_back(iu_kv{sdk::str(k), sdk::str(v)});
    iu_http_response resp{
        sizeof(iu_http_response), static_cast<int32_t>(status), kv.data(), kv.size(),
        sdk::str(got.body),       sdk::str(effective_url)};
    fn(user, &resp);
    return IU_STATUS_OK;
  }

 private:
  std::mutex mu_;
  std::map<std::string, Tls> tls_;
};

}  // namespace

std::shared_ptr<TestTransport> make_curl_easy_transport() {
  return std::make_shared<CurlEasyTransport>();
}

std::string fetch_text(const std::string& url) {
  CurlEasyTransport t;
  iu_http_request r{};
  r.struct_size = sizeof r;
  r.method = sdk::str("GET");
  r.url = sdk::str(url);
  struct Out {
    int status = 0;
    std::string body;
  } out;
  iu_call call;
  iu_status st = t.http(
      &call, &r,
      [](void* u, const iu_http_response* resp) {
        static_cast<Out*>(u)->status = resp->status;
        static_cast<Out*>(u)->body = std::string(sdk::view(resp->body));
      },
      &out);
  if (st != IU_STATUS_OK || out.status != 200)
    throw std::runtime_error(
        "GET " + url +
        " failed: " + (st != IU_STATUS_OK ? call.error : "HTTP " + std::to_string(out.status)));
  return out.body;
}

}  // namespace iu::test
