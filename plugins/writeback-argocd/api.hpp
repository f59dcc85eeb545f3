// How writeback-argocd reaches the Kubernetes API.
//
// Choice: the plugin links libcurl itself (plugins never link core). The host hands over the
// connection as configuration keys — kube_server (URL), kube_token_file, kube_ca_file,
// kube_client_cert_file, kube_client_key_file, kube_insecure — and never a secret value: the
// token and keys stay in files (the pod's service-account files, or private copies the host
// writes from an inline kubeconfig). The token file is re-read for every request, so rotated
// service-account tokens are picked up. The host HTTP service is not used because it has no
// client-certificate support and applies registry rate limits that do not fit the API server.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace iu::argocdwb {

struct ApiSettings {
  std::string server;  // e.g. https://127.0.0.1:6443; "" = not configured
  std::string token_file, ca_file, client_cert_file, client_key_file;
  bool insecure = false;
};

struct ApiResponse {
  int status = 0;  // 0: no response (network error; `body` holds the error text)
  std::string body;
};

class ApiClient {
 public:
  explicit ApiClient(ApiSettings settings);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // One request; 429, 5xx and network errors are retried up to 4 attempts (Retry-After honoured
  // up to 2 s). PUTs carry a resourceVersion, so a retried PUT can never apply twice.
  ApiResponse request(const std::string& method, const std::string& path,
                      const std::string& body = {}) const;

  const ApiSettings& settings() const { return settings_; }

 private:
  ApiResponse attempt(const std::string& method, const std::string& path, const std::string& body,
                      std::string* retry_after) const;
  ApiSettings settings_;
  mutable std::mutex mu_;
  mutable std::vector<void*> idle_;  // CURL* handles kept for connection reuse
};

// "HTTP 409 Conflict: <message>" from a response (Status reason and message when present).
std::string describe(const ApiResponse& r);

}  // namespace iu::argocdwb
