#include "test_transport.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "iu/plugin.hpp"
#include "plugin_host/call.hpp"

namespace iu::test {

iu_status RecordingServices::http(iu_call* call, const iu_http_request* request,
                                  iu_http_response_fn on_response, void* user) {
  Exchange ex;
  ex.method = std::string(sdk::view(request->method));
  ex.url = std::string(sdk::view(request->url));
  ex.op = std::string(sdk::view(request->op));
  for (uint64_t i = 0; i < request->header_count; ++i) {
    std::string key(sdk::view(request->headers[i].key));
    for (char& c : key) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    ex.authorization |= key == "authorization";
  }
  struct Relay {
    iu_http_response_fn fn;
    void* user;
    int status = 0;
  } relay{on_response, user};
  ex.transport = inner_->http(
      call, request,
      [](void* u, const iu_http_response* resp) {
        auto* r = static_cast<Relay*>(u);
        r->status = resp->status;
        r->fn(r->user, resp);
      },
      &relay);
  ex.status = relay.status;
  std::lock_guard lock(mu_);
  exchanges_.push_back(std::move(ex));
  return exchanges_.back().transport;
}

std::vector<Exchange> RecordingServices::exchanges() const {
  std::lock_guard lock(mu_);
  return exchanges_;
}

size_t RecordingServices::count(const std::string& op) const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& e : exchanges_) n += e.op == op ? 1 : 0;
  return n;
}

void RecordingServices::clear() {
  std::lock_guard lock(mu_);
  exchanges_.clear();
}

namespace {
// The installed services own an HTTP service whose thread uses OpenSSL: they must be released
// before static destruction, or OpenSSL's own exit-time cleanup runs first and the thread's
// state shows up as a leak under LeakSanitizer.
class ReleaseHostServices : public ::testing::Environment {
 public:
  void TearDown() override { plugin_host::set_host_services(nullptr); }
};
[[maybe_unused]] const ::testing::Environment* const kReleaseHostServices =
    ::testing::AddGlobalTestEnvironment(new ReleaseHostServices);
}  // namespace

std::shared_ptr<RecordingServices> install_recording_services() {
  auto services = std::make_shared<RecordingServices>(make_test_transport());
  plugin_host::set_host_services(services);
  return services;
}

}  // namespace iu::test
