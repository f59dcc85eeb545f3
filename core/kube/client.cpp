#include "kube/client.hpp"

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "kube/client_curl.hpp"

namespace iu::kube {
namespace {

std::once_flag g_curl_init;

std::string read_token_file(const ClusterConfig& c) {
  std::ifstream in(c.token_file, std::ios::binary);
  if (!in) throw ApiError(0, "Unauthorized", "cannot read the token file " + c.token_file);
  std::ostringstream s;
  s << in.rdbuf();
  std::string t = s.str();
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  return t;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      std::string v(line.substr(kName.size()));
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
      while (!v.empty() && v.front() == ' ') v.erase(v.begin());
      *static_cast<std::string*>(user) = v;
    }
  }
  return size * n;
}

bool retryable(int status) { return status == 0 || status == 429 || status >= 500; }

std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
  thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_real_distribution<double> f(0.5, 1.5);
  return std::chrono::milliseconds(
      static_cast<long long>(static_cast<double>(base.count()) * f(rng)));
}

}  // namespace

struct Client::Pool {
  std::mutex mu;
  std::vector<CURL*> idle;
  ~Pool() {
    for (CURL* h : idle) curl_easy_cleanup(h);
  }
  CURL* take() {
    std::lock_guard lock(mu);
    if (idle.empty()) return curl_easy_init();
    CURL* h = idle.back();
    idle.pop_back();
    curl_easy_reset(h);
    return h;
  }
  void give(CURL* h) {
    std::lock_guard lock(mu);
    if (idle.size() < 16) {
      idle.push_back(h);
    } else {
      curl_easy_cleanup(h);
    }
  }
};

std::string query_escape(std::string_view value) {
  std::string out;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string resource_path(std::string_view gv, std::string_view plural, std::string_view ns,
                          std::string_view name, std::string_view sub) {
  std::string p = gv == "v1" ? "/api/v1" : "/apis/" + std::string(gv);
  if (!ns.empty()) p += "/namespaces/" + std::string(ns);
  p += "/" + std::string(plural);
  if (!name.empty()) p += "/" + std::string(name);
  if (!sub.empty()) p += "/" + std::string(sub);
  return p;
}

Client::Client(ClusterConfig config, ClientOptions options)
    : config_(std::move(config)), options_(options), pool_(std::make_unique<Pool>()) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Client::~Client() = default;

Client::Credentials Client::credentials() const {
  Credentials out;
  if (config_.exec) {
    std::lock_guard lock(exec_mu_);
    const auto now = std::chrono::system_clock::now();
    if (!exec_result_ ||
        (exec_result_->expires && *exec_result_->expires - std::chrono::seconds(10) < now))
      exec_result_ = run_exec_plugin(*config_.exec);
    out.token = exec_result_->token;
    out.client_cert_pem = exec_result_->client_cert_pem;
    out.client_key_pem = exec_result_->client_key_pem;
    if (out.client_cert_pem.empty()) {
      out.client_cert_pem = config_.client_cert_pem;
      out.client_key_pem = config_.client_key_pem;
    }
    return out;
  }
  out.token = config_.token_file.empty() ? config_.token : read_token_file(config_);
  out.client_cert_pem = config_.client_cert_pem;
  out.client_key_pem = config_.client_key_pem;
  return out;
}

void Client::forget_exec_credentials() const {
  std::lock_guard lock(exec_mu_);
  exec_result_.reset();
}

Client::Raw Client::attempt(std::string_view method, const std::string& path,
                            const std::string& body, std::string_view content_type) const {
  Credentials creds;
  try {
    creds = credentials();
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    throw ApiError(0, "Unauthorized", e.what());
  }
  CURL* h = pool_->take();
  if (h == nullptr) throw ApiError(0, "", "cannot create a libcurl handle");
  Raw raw;
  const std::string url = config_.server + path;
  const std::string m(method);
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Accept: application/json");
  if (!content_type.empty())
    headers = curl_slist_append(headers, ("Content-Type: " + std::string(content_type)).c_str());
  std::string auth;
  if (!creds.token.empty()) {
    auth = "Authorization: Bearer " + creds.token;
    headers = curl_slist_append(headers, auth.c_str());
  }
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m.c_str());
  if (m == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "argocd-image-updater");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &raw.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &raw.retry_after);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  set_tls(h, config_, creds);
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  pool_->give(h);
  if (rc != CURLE_OK) {
    raw.status = 0;
    raw.body = curl_easy_strerror(rc);
    return raw;
  }
  raw.status = static_cast<int>(status);
  return raw;
}

Client::Raw Client::request(std::string_view method, const std::string& path,
                            const std::string& body, std::string_view content_type) const {
  Raw raw;
  std::chrono::milliseconds backoff{100};
  bool refreshed = false;
  for (int i = 1;; ++i) {
    raw = attempt(method, path, body, content_type);
    if (raw.status == 401 && config_.exec && !refreshed) {
      // The plugin's credential may have been revoked or rotated early: run it once more.
      refreshed = true;
      forget_exec_credentials();
      raw = attempt(method, path, body, content_type);
    }
    if (!retryable(raw.status) || i >= options_.max_attempts) return raw;
    std::chrono::milliseconds wait = jittered(backoff);
    if (!raw.retry_after.empty()) {
      try {
        wait = std::chrono::seconds(std::stoll(raw.retry_after));
      } catch (const std::exception&) {
      }
    }
    std::this_thread::sleep_for(std::min(wait, options_.max_retry_after));
    backoff *= 2;
  }
}

std::string Client::checked(std::string_view method, const std::string& path,
                            const std::string& body, std::string_view content_type) const {
  Raw raw = request(method, path, body, content_type);
  if (raw.status < 200 || raw.status > 299) {
    if (raw.status == 0)
      throw ApiError(0, "",
                     std::string(method) + " " + path.substr(0, path.find('?')) +
                         ": network error: " + raw.body + " (" + config_.server + ")");
    throw api_error(method, path, raw.status, raw.body);
  }
  return std::move(raw.body);
}

std::string Client::get(const std::string& path) const { return checked("GET", path, {}, {}); }

std::optional<std::string> Client::get_if_exists(const std::string& path) const {
  try {
    return get(path);
  } catch (const ApiError& e) {
    if (e.not_found()) return std::nullopt;
    throw;
  }
}

std::vector<std::string> Client::list(const std::string& path, const ListOptions& o) const {
  for (int restart = 0;; ++restart) {
    std::vector<std::string> items;
    std::string cont;
    bool expired = false;
    // Bounded: a listing of more than 10,000 pages is refused rather than looped over.
    for (int page = 0; page < 10000; ++page) {
      std::string q = "?limit=" + std::to_string(o.page_size);
      if (!o.label_selector.empty()) q += "&labelSelector=" + query_escape(o.label_selector);
      if (!o.field_selector.empty()) q += "&fieldSelector=" + query_escape(o.field_selector);
      if (!cont.empty()) q += "&continue=" + query_escape(cont);
      std::string body;
      try {
        body = get(path + q);
      } catch (const ApiError& e) {
        if (e.status() == 410 && !cont.empty() && restart < 2) {
          expired = true;
          break;
        }
        throw;
      }
      rapidjson::Document d;
      d.Parse(body.data(), body.size());
      if (d.HasParseError() || !d.IsObject() || !d.HasMember("items"))
        throw ApiError(200, "", "GET " + path + ": not a list");
      if (d["items"].IsArray())
        for (const auto& item : d["items"].GetArray()) {
          rapidjson::StringBuffer buf;
          rapidjson::Writer<rapidjson::StringBuffer> w(buf);
          item.Accept(w);
          items.emplace_back(buf.GetString(), buf.GetSize());
        }
      cont.clear();
      if (d.HasMember("metadata") && d["metadata"].IsObject() &&
          d["metadata"].HasMember("continue") && d["metadata"]["continue"].IsString())
        cont = d["metadata"]["continue"].GetString();
      if (cont.empty()) return items;
    }
    if (!expired) throw ApiError(0, "", "GET " + path + ": more than 10000 pages");
  }
}

std::string Client::create(const std::string& path, const std::string& body) const {
  return checked("POST", path, body, "application/json");
}

std::string Client::update(const std::string& path, const std::string& body) const {
  return checked("PUT", path, body, "application/json");
}

std::string Client::merge_patch(const std::string& path, const std::string& patch) const {
  return checked("PATCH", path, patch, "application/merge-patch+json");
}

std::string Client::modify(
    const std::string& path,
    const std::function<std::optional<std::string>(const std::string&)>& edit) const {
  std::chrono::milliseconds backoff{10};
  for (int round = 1;; ++round) {
    std::string current = get(path);
    std::optional<std::string> next = edit(current);
    if (!next) return current;
    try {
      return update(path, *next);
    } catch (const ApiError& e) {
      if (!e.conflict() || round >= options_.conflict_attempts) throw;
    }
    std::this_thread::sleep_for(jittered(backoff));
    backoff *= 2;
  }
}

}  // namespace iu::kube
