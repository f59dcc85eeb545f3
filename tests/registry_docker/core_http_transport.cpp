// The core's host HTTP service (iu::http::HttpService) as the integration tests' transport.
#include "http/http_service.hpp"
#include "test_transport.hpp"

namespace iu::test {
namespace {

class CoreHttpTransport final : public TestTransport {
 public:
  void configure(const std::string& endpoint, const std::string& ca_file, bool insecure) override {
    http::EndpointPolicy p;
    p.key = endpoint;
    p.rate_limit_rps = 0;  // unlimited: the tests count requests, not time
    p.ca_file = ca_file;
    p.insecure = insecure;
    service_.set_policy(p);
  }
  std::string name() const override { return "core iu::http::HttpService"; }
  iu_status http(iu_call* call, const iu_http_request* request, iu_http_response_fn on_response,
                 void* user) override {
    return service_.handle(call, request, on_response, user);
  }

 private:
  http::HttpService service_;
};

}  // namespace

std::shared_ptr<TestTransport> make_core_http_transport() {
  return std::make_shared<CoreHttpTransport>();
}

}  // namespace iu::test
