// A small Kubernetes API client over libcurl: get, list (label/field selectors, pagination),
// create, update with resourceVersion, merge patch, and read-modify-write with 409 handling.
//
// Contract:
//  * Bodies are JSON text in and out; RapidJSON stays in the .cpp files.
//  * Every non-2xx answer throws ApiError carrying the HTTP status and the Status object's
//    reason and message (secret-free: request bodies are never quoted).
//  * 429, 5xx and network errors are retried (at most `max_attempts` attempts, honouring
//    Retry-After up to `max_retry_after`), for writes too: every write this program makes is
//    either guarded by a resourceVersion or idempotent (merge patch, create that may 409).
//  * Thread-safe; connections are reused through a small pool of libcurl handles.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kube/cluster_config.hpp"

namespace iu::kube {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string reason, const std::string& what)
      : std::runtime_error(what), status_(status), reason_(std::move(reason)) {}
  int status() const { return status_; }                 // HTTP status; 0 for a network error
  const std::string& reason() const { return reason_; }  // e.g. "Conflict", "NotFound"
  bool not_found() const { return status_ == 404; }
  bool conflict() const { return status_ == 409; }

 private:
  int status_;
  std::string reason_;
};

struct ClientOptions {
  int max_attempts = 4;  // per request, for 429 / 5xx / network errors
  std::chrono::milliseconds max_retry_after{2000};
  std::chrono::milliseconds timeout{30000};  // per attempt
  int conflict_attempts = 5;                 // modify(): read-modify-write rounds on 409
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int page_size = 500;  // `limit`; pages are followed with `continue`
};

// `/api/v1` for the core group ("v1"), `/apis/<group>/<version>` otherwise; then
// `/namespaces/<ns>` when `ns` is set, `/<plural>`, `/<name>`, `/<subresource>`.
std::string resource_path(std::string_view group_version, std::string_view plural,
                          std::string_view ns = {}, std::string_view name = {},
                          std::string_view subresource = {});

class Client {
 public:
  explicit Client(ClusterConfig config, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClusterConfig& config() const { return config_; }

  // The credentials requests use now: the token (from token_file when set), or the exec
  // plugin's result, run again when it has expired (or after a 401). Never log them.
  struct Credentials {
    std::string token, client_cert_pem, client_key_pem;
  };
  Credentials credentials() const;
  const ClientOptions& options() const { return options_; }

  // The object at `path`; throws ApiError (404 included).
  std::string get(const std::string& path) const;
  // The object, or nullopt on 404.
  std::optional<std::string> get_if_exists(const std::string& path) const;
  // Every item of the collection at `path` (each item as JSON text), following `continue`
  // tokens; a 410 Expired continue token restarts the listing (at most twice).
  std::vector<std::string> list(const std::string& path, const ListOptions& options = {}) const;
  std::string create(const std::string& path, const std::string& body) const;
  // PUT; the body carries metadata.resourceVersion (409 when stale).
  std::string update(const std::string& path, const std::string& body) const;
  std::string merge_patch(const std::string& path, const std::string& patch) const;

  // Read-modify-write: GETs `path`, calls `edit` with the object; `edit` returns the new object
  // (resourceVersion kept) or nullopt when nothing needs to change. A 409 re-reads and calls
  // `edit` again, up to `conflict_attempts` rounds with 10 ms x 2^n jittered back-off, then the
  // last ApiError is thrown. Returns the stored object (the read one when nothing changed).
  std::string modify(
      const std::string& path,
      const std::function<std::optional<std::string>(const std::string&)>& edit) const;

  // Watches the collection at `path` (a list path, no query) from `resource_version` ("" =
  // the current objects first, as ADDED events). Calls `on_event(type, object_json)` for each
  // event (ADDED, MODIFIED, DELETED, BOOKMARK); returning false ends the watch. Also ends when
  // the server closes the stream, after `timeout`, or when `*stop` turns true (checked about
  // every second). Returns the last resourceVersion seen, to resume from. An ERROR event
  // (410 Expired: the caller must list again) or a failed request throws ApiError.
  std::string watch(
      const std::string& path, const std::string& resource_version, std::chrono::seconds timeout,
      const std::atomic<bool>* stop,
      const std::function<bool(std::string_view type, const std::string& object)>& on_event) const;

  struct Raw {
    int status = 0;
    std::string body;
    std::string retry_after;
  };
  // One request with retries; no status check. `path` may carry a query string.
  Raw request(std::string_view method, const std::string& path, const std::string& body = {},
              std::string_view content_type = {}) const;

 private:
  struct Pool;
  Raw attempt(std::string_view method, const std::string& path, const std::string& body,
              std::string_view content_type) const;
  std::string checked(std::string_view method, const std::string& path, const std::string& body,
                      std::string_view content_type) const;

  void forget_exec_credentials() const;

  ClusterConfig config_;
  ClientOptions options_;
  std::unique_ptr<Pool> pool_;
  mutable std::mutex exec_mu_;
  mutable std::optional<ExecResult> exec_result_;
};

// Percent-encodes a query parameter value.
std::string query_escape(std::string_view value);

}  // namespace iu::kube
