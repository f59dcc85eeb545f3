// Client::watch: a streamed `?watch=true` request whose chunked body is split into one JSON
// event per line.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "kube/client.hpp"
#include "kube/client_curl.hpp"

namespace iu::kube {
namespace {

// State of one watch stream: bytes not yet split into lines, the callback, the outcome.
struct WatchStream {
  std::string pending;
  const std::function<bool(std::string_view, const std::string&)>* on_event = nullptr;
  const std::atomic<bool>* stop = nullptr;
  std::string resource_version;
  std::optional<ApiError> error;
  bool stopped = false;
  std::string path;
};

// False to abort the transfer.
bool watch_line(WatchStream& w, const std::string& line) {
  rapidjson::Document d;
  d.Parse(line.data(), line.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("type") || !d["type"].IsString() ||
      !d.HasMember("object") || !d["object"].IsObject())
    return true;  // not an event (e.g. a keep-alive blank line)
  const std::string type = d["type"].GetString();
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> wr(buf);
  d["object"].Accept(wr);
  const std::string object(buf.GetString(), buf.GetSize());
  if (type == "ERROR") {
    int code = d["object"].HasMember("code") && d["object"]["code"].IsInt()
                   ? d["object"]["code"].GetInt()
                   : 500;
    w.error = api_error("WATCH", w.path, code, object);
    return false;
  }
  const auto& o = d["object"];
  if (o.HasMember("metadata") && o["metadata"].IsObject() &&
      o["metadata"].HasMember("resourceVersion") && o["metadata"]["resourceVersion"].IsString())
    w.resource_version = o["metadata"]["resourceVersion"].GetString();
  if (!(*w.on_event)(type, object)) {
    w.stopped = true;
    return false;
  }
  return true;
}

size_t on_watch_body(char* data, size_t size, size_t n, void* user) {
  auto& w = *static_cast<WatchStream*>(user);
  w.pending.append(data, size * n);
  for (size_t nl; (nl = w.pending.find('\n')) != std::string::npos;) {
    std::string line = w.pending.substr(0, nl);
    w.pending.erase(0, nl + 1);
    if (!watch_line(w, line)) return 0;
  }
  return size * n;
}

int on_watch_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto& w = *static_cast<WatchStream*>(user);
  if (w.stop != nullptr && w.stop->load()) {
    w.stopped = true;
    return 1;
  }
  return 0;
}

}  // namespace

std::string Client::watch(
    const std::string& path, const std::string& resource_version, std::chrono::seconds timeout,
    const std::atomic<bool>* stop,
    const std::function<bool(std::string_view, const std::string&)>& on_event) const {
  Credentials creds;
  try {
    creds = credentials();
  } catch (const std::exception& e) {
    throw ApiError(0, "Unauthorized", e.what());
  }
  WatchStream w;
  w.on_event = &on_event;
  w.stop = stop;
  w.resource_version = resource_version;
  w.path = path;
  std::string url = config_.server + path + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=" +
                    std::to_string(timeout.count());
  if (!resource_version.empty()) url += "&resourceVersion=" + query_escape(resource_version);
  CURL* h = curl_easy_init();
  if (h == nullptr) throw ApiError(0, "", "cannot create a libcurl handle");
  curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
  const std::string auth = "Authorization: Bearer " + creds.token;
  if (!creds.token.empty()) headers = curl_slist_append(headers, auth.c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "argocd-image-updater");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_watch_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &w);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_watch_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &w);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>((timeout.count() + 10) * 1000));
  set_tls(h, config_, creds);
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(h);
  if (w.error) throw *w.error;
  if (status != 0 && (status < 200 || status > 299))
    throw api_error("WATCH", path, static_cast<int>(status), w.pending);
  if (rc != CURLE_OK && !w.stopped && rc != CURLE_OPERATION_TIMEDOUT)
    throw ApiError(0, "", "WATCH " + path + ": network error: " + curl_easy_strerror(rc));
  return w.resource_version;
}

}  // namespace iu::kube
