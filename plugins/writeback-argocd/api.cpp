#include "api.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <cctype>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace iu::argocdwb {
namespace {

std::once_flag g_init;

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  std::string line(data, size * n);
  std::string lower = line.substr(0, 12);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "retry-after:") {
    std::string v = line.substr(12);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
    *static_cast<std::string*>(user) = v;
  }
  return size * n;
}

std::string read_token(const std::string& file) {
  if (file.empty()) return {};
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  std::string t = s.str();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  return t;
}

}  // namespace

std::string describe(const ApiResponse& r) {
  if (r.status == 0) return "network error: " + r.body;
  std::string out = "HTTP " + std::to_string(r.status);
  rapidjson::Document d;
  d.Parse(r.body.data(), r.body.size());
  if (!d.HasParseError() && d.IsObject()) {
    if (d.HasMember("reason") && d["reason"].IsString())
      out += std::string(" ") + d["reason"].GetString();
    if (d.HasMember("message") && d["message"].IsString())
      out += std::string(": ") + d["message"].GetString();
  }
  return out;
}

ApiClient::ApiClient(ApiSettings settings) : settings_(std::move(settings)) {
  std::call_once(g_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

ApiClient::~ApiClient() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

ApiResponse ApiClient::attempt(const std::string& method, const std::string& path,
                               const std::string& body, std::string* retry_after) const {
  CURL* h = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      h = static_cast<CURL*>(idle_.back());
      idle_.pop_back();
    }
  }
  if (h == nullptr)
    h = curl_easy_init();
  else
    curl_easy_reset(h);
  ApiResponse r;
  if (h == nullptr) {
    r.body = "cannot create a libcurl handle";
    return r;
  }
  const std::string url = settings_.server + path;
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  if (!body.empty()) headers = curl_slist_append(headers, "Content-Type: application/json");
  const std::string token = read_token(settings_.token_file);
  const std::string auth = "Authorization: Bearer " + token;
  if (!token.empty()) headers = curl_slist_append(headers, auth.c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "argocd-image-updater/writeback-argocd");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, retry_after);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
  if (settings_.insecure) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!settings_.ca_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, settings_.ca_file.c_str());
  }
  if (!settings_.client_cert_file.empty()) {
    curl_easy_setopt(h, CURLOPT_SSLCERT, settings_.client_cert_file.c_str());
    curl_easy_setopt(h, CURLOPT_SSLKEY, settings_.client_key_file.c_str());
  }
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  if (rc == CURLE_OK) {
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    r.status = static_cast<int>(status);
  } else {
    r.body = curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  {
    std::lock_guard lock(mu_);
    if (idle_.size() < 16) {
      idle_.push_back(h);
      h = nullptr;
    }
  }
  if (h != nullptr) curl_easy_cleanup(h);
  return r;
}

ApiResponse ApiClient::request(const std::string& method, const std::string& path,
                               const std::string& body) const {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::chrono::milliseconds backoff{100};
  ApiResponse r;
  for (int i = 1; i <= 4; ++i) {
    std::string retry_after;
    r = attempt(method, path, body, &retry_after);
    if (!(r.status == 0 || r.status == 429 || r.status >= 500) || i == 4) return r;
    std::chrono::milliseconds wait{
        static_cast<long long>(static_cast<double>(backoff.count()) *
                               std::uniform_real_distribution<double>(0.5, 1.5)(rng))};
    if (!retry_after.empty() && std::isdigit(static_cast<unsigned char>(retry_after[0])))
      wait = std::chrono::seconds(std::min(2, std::atoi(retry_after.c_str())));
    std::this_thread::sleep_for(std::min(wait, std::chrono::milliseconds(2000)));
    backoff *= 2;
  }
  return r;
}

}  // namespace iu::argocdwb
