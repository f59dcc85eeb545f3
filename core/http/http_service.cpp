#include "http/http_service.hpp"

#include <curl/curl.h>

#include <cmath>
#include <mutex>

#include "http/ca_bundle.hpp"
#include "http/engine.hpp"
#include "http/flight.hpp"
#include "http/http_metrics.hpp"
#include "http/proxy.hpp"
#include "http/url.hpp"

namespace iu::http {
namespace {

// RFC 9110 token characters (method and header names).
bool token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool header_value_ok(std::string_view v) {
  return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Checks what libcurl would otherwise reject obscurely (or, for CR/LF, splice into the wire).
// Returns the problem, or "" when the request is fine.
std::string request_problem(const Request& r, const std::string& url_error) {
  if (!token(r.method)) return "invalid method \"" + r.method + "\"";
  if (!url_error.empty()) return "invalid URL: " + url_error;
  for (const auto& [name, value] : r.headers) {
    if (!token(name)) return "invalid header name \"" + name + "\"";
    // The value is not echoed: it may be a credential.
    if (!header_value_ok(value)) return "header " + name + ": value contains CR, LF or NUL";
  }
  if (!r.aws_sigv4.empty() && r.aws_credentials.find(':') == std::string::npos)
    return "aws_sigv4 needs aws_credentials as ACCESS_KEY:SECRET[:SESSION_TOKEN]";
  if (!header_value_ok(r.aws_credentials) || !header_value_ok(r.aws_sigv4))
    return "aws_sigv4 / aws_credentials contain CR, LF or NUL";
  if (r.timeout.count() < 0) return "negative timeout";
  return {};
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("HTTP service: libcurl global initialisation failed");
  });
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

struct HttpService::Impl {
  Impl() : system_ca(system_ca_bundle_path()), engine(metrics, ProxySettings::from_environment()) {}

  HttpMetrics metrics;
  const std::string system_ca;
  FlightTable flights;
  Engine engine;  // last: stopped first, while everything it reports to still exists
};

HttpService::HttpService() {
  global_init();
  impl_ = std::make_unique<Impl>();
}

HttpService::~HttpService() = default;

void HttpService::set_policy(EndpointPolicy p) {
  auto bad = [&](const std::string& field, const std::string& problem) {
    return std::invalid_argument("registry " + p.key + ": " + field + ": " + problem);
  };
  if (p.key.empty()) throw std::invalid_argument("HTTP endpoint policy: key: must not be empty");
  if (!std::isfinite(p.rate_limit_rps) || p.rate_limit_rps < 0)
    throw bad("limit", "must be 0 (unlimited) or more requests per second, got " +
                           std::to_string(p.rate_limit_rps));
  if (p.max_inflight < 1)
    throw bad("max_inflight", "must be at least 1, got " + std::to_string(p.max_inflight));
  if (p.max_retries < 0)
    throw bad("max_retries", "must not be negative, got " + std::to_string(p.max_retries));
  if (p.max_retry_after.count() < 0) throw bad("max_retry_after", "must not be negative");
  auto config = std::make_shared<EndpointConfig>();
  // SPEC §7.1: insecure skips TLS verification and CA loading.
  if (!p.insecure)
    config->ca_bundle = build_ca_bundle(p.key, p.ca_file, p.ca_data, impl_->system_ca);
  config->policy = std::move(p);
  impl_->engine.set_policy(std::move(config));
}

Response HttpService::perform(const std::string& endpoint_key, const Request& r,
                              const std::atomic<bool>* cancel,
                              std::chrono::steady_clock::time_point deadline) {
  std::string url_error;
  std::optional<UrlParts> url = parse_http_url(r.url, &url_error);
  std::string key = endpoint_key.empty() && url ? url->authority() : endpoint_key;
  auto error = [&](iu_status status, const std::string& detail) {
    return HttpError(status,
                     "registry " + key + ": " + r.method + " " + redact_url(r.url) + ": " + detail);
  };
  if (std::string problem = request_problem(r, url_error); !problem.empty())
    throw error(IU_STATUS_INVALID_ARGUMENT, "invalid request: " + problem);
  if (cancel != nullptr && cancel->load()) throw error(IU_STATUS_CANCELLED, "cancelled");

  std::string shared_key = r.singleflight_key.empty() ? "" : key + '\n' + r.singleflight_key;
  auto flight = std::make_shared<Flight>(key, r, std::move(*url), std::move(shared_key));
  bool leader = true;
  if (!flight->shared_key.empty()) {
    std::tie(flight, leader) = impl_->flights.join(flight);
    impl_->metrics.singleflight(r.op, leader);
  }
  if (leader && !impl_->engine.submit(flight))
    flight->fail(error(IU_STATUS_CANCELLED, "the HTTP service stopped"));

  std::optional<Response> response = flight->wait(cancel, deadline);  // throws the flight's error
  if (response) return std::move(*response);
  // This caller gave up. The flight goes on for the others; the last one to leave stops it.
  if (FlightTable::leave(*flight)) impl_->engine.abandon(flight);
  bool cancelled = cancel != nullptr && cancel->load();
  throw error(IU_STATUS_CANCELLED, cancelled ? "cancelled" : "deadline exceeded");
}

}  // namespace iu::http
