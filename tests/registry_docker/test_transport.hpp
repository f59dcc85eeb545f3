// The host HTTP service of the integration tests. Two transports implement the iu_host_api.http
// contract: the core's HttpService (libcurl multi, retries, singleflight) when this tree builds
// it, and a plain blocking libcurl easy request as a stand-in. make_test_transport() picks one;
// switching is that one line. RecordingServices wraps either and records what the plugin sent
// and got back, for assertions (request counts per op, Authorization never sent elsewhere).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plugin_host/host_api.hpp"

namespace iu::test {

class TestTransport : public plugin_host::HostServices {
 public:
  // TLS settings of one endpoint key (the RegistryInstance's endpoint): trust `ca_file` in
  // addition to (core service) or instead of (easy transport) the system roots.
  virtual void configure(const std::string& endpoint, const std::string& ca_file,
                         bool insecure) = 0;
  virtual std::string name() const = 0;
};

std::shared_ptr<TestTransport> make_curl_easy_transport();
#ifdef IU_TEST_HAVE_CORE_HTTP
std::shared_ptr<TestTransport> make_core_http_transport();
#endif

// The transport the integration tests run on.
inline std::shared_ptr<TestTransport> make_test_transport() {
#ifdef IU_TEST_HAVE_CORE_HTTP
  return make_core_http_transport();
#else
  return make_curl_easy_transport();
#endif
}

struct Exchange {
  std::string method, url, op;
  bool authorization = false;  // the request carried an Authorization header
  iu_status transport = IU_STATUS_OK;
  int status = 0;  // HTTP status when transport is OK
};

class RecordingServices final : public plugin_host::HostServices {
 public:
  explicit RecordingServices(std::shared_ptr<TestTransport> inner) : inner_(std::move(inner)) {}
  iu_status http(iu_call* call, const iu_http_request* request, iu_http_response_fn on_response,
                 void* user) override;
  std::vector<Exchange> exchanges() const;
  size_t count(const std::string& op) const;
  void clear();
  TestTransport& transport() { return *inner_; }

 private:
  std::shared_ptr<TestTransport> inner_;
  mutable std::mutex mu_;
  std::vector<Exchange> exchanges_;
};

// Makes a RecordingServices over make_test_transport() the host's services; returns it.
std::shared_ptr<RecordingServices> install_recording_services();

// GET `url` with the easy transport (fixture control endpoints such as /__stats). Throws
// std::runtime_error naming the URL unless the answer is 200.
std::string fetch_text(const std::string& url);

}  // namespace iu::test
