#include "cli/webhook_intake.hpp"

#include "log/log.hpp"
#include "metrics/registry.hpp"
#include "server/http_server.hpp"
#include "webhook/triggers.hpp"
#include "webhook/webhook.hpp"

namespace iu::cli {
namespace {

struct WebhookMetrics {
  uint64_t requests, events;
  WebhookMetrics() {
    auto& r = metrics::Registry::global();
    requests = r.declare(metrics::Type::counter, "argocd_image_updater_webhook_requests_total",
                         "Webhook requests received, by type and HTTP status", {"type", "code"});
    events = r.declare(metrics::Type::counter, "argocd_image_updater_webhook_events_total",
                       "Webhook image events, by type and what became of them", {"type", "result"});
  }
};

WebhookMetrics& webhook_metrics() {
  static WebhookMetrics m;
  return m;
}

}  // namespace

struct WebhookIntake::Impl {
  webhook::Settings settings;
  webhook::HourlyLimiter limiter;
  webhook::TriggerQueue queue;
  std::unique_ptr<server::HttpServer> server;

  Impl(const WebhookIntakeOptions& o, std::function<void(engine::ImageTarget)> on_trigger)
      : limiter(o.hourly_limit),
        queue(o.coalesce_window, [cb = std::move(on_trigger)](webhook::Trigger t) {
          cb(engine::ImageTarget{std::move(t.registry), std::move(t.repository), std::move(t.tags),
                                 std::move(t.type)});
        }) {
    settings.secrets = o.secrets;
    settings.require_secret = o.require_secret;
  }

  server::Response handle(const server::Request& req) {
    auto& mx = webhook_metrics();
    auto& reg = metrics::Registry::global();
    webhook::Outcome out = webhook::handle_request(req, settings);
    server::Response resp{out.status, "text/plain; charset=utf-8", out.message + "\n", {}};
    if (out.status == 200 && !out.ignored) {
      long long retry_after = 0;
      if (!limiter.allow(std::chrono::steady_clock::now(), &retry_after)) {
        resp = server::Response{429,
                                "text/plain; charset=utf-8",
                                "webhook rate limit reached (--webhook-ratelimit-allowed)\n",
                                {{"Retry-After", std::to_string(retry_after)}}};
        reg.update(mx.events, {out.type, "rejected"}, static_cast<double>(out.events.size()));
      } else {
        for (const auto& e : out.events) {
          log::info("webhook event", {{"type", out.type},
                                      {"registry", e.registry},
                                      {"repository", e.repository},
                                      {"image_tag", e.tag},
                                      {"image_digest", e.digest}});
          auto r = queue.add(e, out.type);
          reg.update(
              mx.events,
              {out.type, r == webhook::TriggerQueue::Result::accepted ? "accepted" : "coalesced"},
              1);
        }
      }
    } else if (out.status == 200) {
      reg.update(mx.events, {out.type, "ignored"}, 1);
    } else {
      log::warn("webhook request refused", {{"type", out.type},
                                            {"status", std::to_string(out.status)},
                                            {"reason", out.message},
                                            {"remote", req.remote}});
    }
    reg.update(mx.requests, {out.type, std::to_string(resp.status)}, 1);
    return resp;
  }
};

WebhookIntake::WebhookIntake(WebhookIntakeOptions options,
                             std::function<void(engine::ImageTarget)> on_trigger)
    : impl_(std::make_unique<Impl>(options, std::move(on_trigger))) {
  Impl* impl = impl_.get();
  server::ServerOptions server_options{options.bind_address, 1 << 20};
  server_options.tls = options.tls;
  server_options.http2 = options.http2;
  impl_->server = std::make_unique<server::HttpServer>(
      std::move(server_options),
      std::map<std::string, server::Handler>{
          {"/webhook", [impl](const server::Request& r) { return impl->handle(r); }},
          {"/healthz", [](const server::Request&) {
             return server::Response{200, "text/plain; charset=utf-8", "OK", {}};
           }}});
  log::info("webhook endpoint listening", {{"address", options.bind_address},
                                           {"port", std::to_string(port())},
                                           {"scheme", options.tls ? "https" : "http"},
                                           {"http2", options.tls && options.http2 ? "on" : "off"}});
}

WebhookIntake::~WebhookIntake() = default;

uint16_t WebhookIntake::port() const { return impl_->server->port(); }

}  // namespace iu::cli
