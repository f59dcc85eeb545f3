// The webhook endpoint of `run --enable-webhook` (SPEC §12): serves POST /webhook and
// GET /healthz, authenticates and parses each request, applies the hourly limit, coalesces
// events per (registry, repository) and hands the resulting triggers to the caller. Nothing
// unauthenticated or malformed gets past it; the handler never blocks on the engine.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "engine/pass_scope.hpp"
#include "server/http_server.hpp"

namespace iu::cli {

struct WebhookIntakeOptions {
  std::string bind_address;                    // e.g. ":8082"
  std::map<std::string, std::string> secrets;  // by webhook type ("docker.io", "registry", ...)
  bool require_secret = true;
  long long hourly_limit = 0;  // accepted requests per hour; 0 = unlimited
  std::chrono::milliseconds coalesce_window{2000};
  // Set: HTTPS with these settings (certificate directory, versions, ciphers; SPEC §12.1);
  // unset: plain HTTP (--disable-tls).
  std::optional<server::TlsOptions> tls;
  // HTTP/2 offered over TLS (ALPN "h2"; --enable-http2). No effect without TLS.
  bool http2 = false;
};

class WebhookIntake {
 public:
  // `on_trigger` is called from the server's or the coalescing thread; it must only enqueue.
  // Throws server::TlsSetupError for bad TLS settings or certificate files, std::runtime_error
  // when the address cannot be bound.
  WebhookIntake(WebhookIntakeOptions options, std::function<void(engine::ImageTarget)> on_trigger);
  ~WebhookIntake();
  WebhookIntake(const WebhookIntake&) = delete;
  WebhookIntake& operator=(const WebhookIntake&) = delete;

  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace iu::cli
