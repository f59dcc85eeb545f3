// HttpService::handle: the iu_host_api.http contract of plugin.h on top of perform().
#include <cstring>
#include <vector>

#include "http/http_service.hpp"
#include "plugin_host/call.hpp"

namespace iu::http {
namespace {

std::string str(iu_str s) {
  return s.size == 0 || s.data == nullptr ? std::string() : std::string(s.data, s.size);
}

iu_str view(const std::string& s) { return iu_str{s.data(), s.size()}; }

// ABI rule 3: copy what the plugin's struct has into a zeroed struct of our size.
iu_http_request normalised(const iu_http_request* req) {
  iu_http_request out{};
  size_t n = req->struct_size < sizeof out ? req->struct_size : sizeof out;
  std::memcpy(&out, req, n);
  out.struct_size = sizeof out;
  return out;
}

Request to_request(const iu_http_request& in) {
  Request r;
  if (in.method.size > 0) r.method = str(in.method);
  r.url = str(in.url);
  r.headers.reserve(in.header_count);
  for (uint64_t i = 0; i < in.header_count; ++i)
    r.headers.emplace_back(str(in.headers[i].key), str(in.headers[i].value));
  r.body = str(in.body);
  if (in.op.size > 0) r.op = str(in.op);
  r.singleflight_key = str(in.singleflight_key);
  r.aws_sigv4 = str(in.aws_sigv4);
  r.aws_credentials = str(in.aws_credentials);
  r.idempotent = (in.flags & IU_HTTP_IDEMPOTENT) != 0;
  r.bypass_rate_limit = (in.flags & IU_HTTP_NO_RATE_LIMIT) != 0;
  r.follow_redirects = (in.flags & IU_HTTP_FOLLOW_REDIRECTS) != 0;
  r.max_body_bytes = in.max_body_bytes;
  r.timeout = std::chrono::milliseconds(in.timeout_ms);
  return r;
}

}  // namespace

iu_status HttpService::handle(iu_call* call, const iu_http_request* req,
                              iu_http_response_fn on_response, void* user) {
  auto set_error = [&](const std::string& message) {
    if (call != nullptr) call->error = message;
  };
  if (req == nullptr || on_response == nullptr) {
    set_error("HTTP request: the request and its response callback are required");
    return IU_STATUS_INVALID_ARGUMENT;
  }
  try {
    iu_http_request in = normalised(req);
    if (in.header_count > 0 && in.headers == nullptr) {
      set_error("HTTP request: header_count is set but headers is NULL");
      return IU_STATUS_INVALID_ARGUMENT;
    }
    std::string endpoint;
    const std::atomic<bool>* cancel = nullptr;
    auto deadline = std::chrono::steady_clock::time_point::max();
    if (call != nullptr) {
      if (call->instance != nullptr) endpoint = call->instance->endpoint;
      cancel = call->cancel;
      deadline = call->deadline;
    }
    Response resp = perform(endpoint, to_request(in), cancel, deadline);

    std::vector<iu_kv> headers;
    headers.reserve(resp.headers.size());
    for (const auto& [k, v] : resp.headers) headers.push_back(iu_kv{view(k), view(v)});
    iu_http_response out{};
    out.struct_size = sizeof out;
    out.status = resp.status;
    out.headers = headers.data();
    out.header_count = headers.size();
    out.body = view(resp.body);
    out.effective_url = view(resp.effective_url);
    on_response(user, &out);
    return IU_STATUS_OK;
  } catch (const HttpError& e) {
    set_error(e.what());
    return e.status();
  } catch (const std::exception& e) {
    set_error(std::string("HTTP service: ") + e.what());
    return IU_STATUS_INTERNAL;
  }
}

}  // namespace iu::http
