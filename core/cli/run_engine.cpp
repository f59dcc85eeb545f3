// `run`: the services behind the engine, and the cycle loop (SPEC §3.3, §10.1, §13.2).
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "cli/commands.hpp"
#ifdef IU_HAVE_KUBE
#include "cli/run_kube.hpp"
#include "kube/metrics_auth.hpp"
#endif
#include "cli/webhook_intake.hpp"
#include "config/label_selector.hpp"
#include "credentials/credential_cache.hpp"
#include "credentials/resolver.hpp"
#include "engine/engine.hpp"
#include "http/http_service.hpp"
#include "log/log.hpp"
#include "metrics/registry.hpp"
#include "plugin_host/host_api.hpp"
#include "registries/config_watcher.hpp"
#include "registry/host_services.hpp"
#include "registry/registry_service.hpp"
#include "server/http_server.hpp"
#include "util/duration.hpp"

namespace iu::kube {
class KubeSide;
}

namespace iu::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop.store(true); }

std::chrono::milliseconds duration_flag(const FlagValues& v, const std::string& name) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(*util::parse_duration(v.get(name)));
}

config::SourceKind source_kind(const std::string& s) {
  if (s == "crd") return config::SourceKind::kCrd;
  if (s == "annotations") return config::SourceKind::kAnnotations;
  return config::SourceKind::kDir;
}

// The webhook endpoint inside `run` (SPEC §12): secrets per type from the flags; HTTPS unless
// --disable-tls (certificate from /app/config/tls, else self-signed; SPEC §12.1).
std::unique_ptr<WebhookIntake> start_webhook_intake(
    const FlagValues& v, std::function<void(engine::ImageTarget)> on_trigger) {
  WebhookIntakeOptions o;
  if (!v.boolean("disable-tls")) {
    server::TlsOptions tls;
    tls.min_version = v.get("tlsminversion");
    tls.max_version = v.get("tlsmaxversion");
    tls.ciphers = v.get("tlsciphers");
    o.tls = std::move(tls);
  }
  // HTTP/2 over TLS only (ALPN "h2"), as Go's net/http: no cleartext h2c.
  o.http2 = v.boolean("enable-http2");
  if (o.http2 && !o.tls)
    log::warn(
        "--enable-http2: the webhook endpoint is plain HTTP (--disable-tls) and serves HTTP/1.1 "
        "only; HTTP/2 is offered over TLS");
  o.bind_address = ":" + v.get("webhook-port");
  o.require_secret = v.boolean("webhook-require-secret");
  o.hourly_limit = v.integer("webhook-ratelimit-allowed");
  o.coalesce_window = duration_flag(v, "webhook-coalesce-window");
  // Flag names follow the upstream spelling; the types are SPEC §12.2's.
  const std::vector<std::pair<std::string, std::string>> flag_types = {
      {"docker", "docker.io"},        {"ghcr", "ghcr.io"},          {"quay", "quay.io"},
      {"harbor", "harbor"},           {"aliyun-acr", "aliyun-acr"}, {"acr", "acr"},
      {"cloudevents", "cloudevents"}, {"registry", "registry"}};
  for (const auto& [flag, type] : flag_types)
    if (!v.get(flag + "-webhook-secret").empty()) o.secrets[type] = v.get(flag + "-webhook-secret");
  try {
    return std::make_unique<WebhookIntake>(o, std::move(on_trigger));
  } catch (const server::TlsSetupError& e) {
    throw UsageError(std::string("webhook TLS: ") + e.what());
  } catch (const std::runtime_error& e) {
    throw UsageError(std::string("--webhook-port: ") + e.what());
  }
}

// /metrics on --metrics-bind-address (SPEC §3.3, §13.1). --metrics-secure (the default), as
// upstream's controller-runtime filter: HTTPS, and every caller's bearer token checked with a
// TokenReview and a SubjectAccessReview (kube/metrics_auth.hpp). The certificate is the
// webhook's (/app/config/tls/tls.crt and tls.key, else self-signed in memory); TLS 1.2-1.3 with
// the library's ciphers, as Go's defaults upstream (--tls* configure the webhook server only).
// --metrics-secure=false: plain HTTP, no authentication.
std::unique_ptr<server::HttpServer> start_metrics_server(
    const FlagValues& v, [[maybe_unused]] const kube::KubeSide* side) {
  server::Handler render = [](const server::Request&) {
    return server::Response{
        200, "text/plain; version=0.0.4; charset=utf-8", metrics::Registry::global().render(), {}};
  };
  server::ServerOptions so{v.get("metrics-bind-address"), 1 << 20};
  if (v.boolean("metrics-secure")) {
#ifdef IU_HAVE_KUBE
    // The reviews go to the cluster of --kubeconfig (in-cluster by default): the one the
    // crd/annotations sources already use; with --source dir it is loaded here.
    kube::ClusterConfig cc;
    try {
      cc = side ? side->client().config() : kube::load_cluster_config(v.get("kubeconfig"));
    } catch (const std::exception& e) {
      throw UsageError(
          std::string("--metrics-secure (default true) checks /metrics callers with Kubernetes "
                      "TokenReview and SubjectAccessReview and needs a Kubernetes API "
                      "connection: ") +
          e.what() +
          ". Pass --metrics-secure=false to serve /metrics over plain HTTP without "
          "authentication");
    }
    // A scrape waits for the reviews: shorter timeouts and fewer attempts than the engine's.
    kube::ClientOptions co;
    co.max_attempts = 3;
    co.max_retry_after = std::chrono::seconds(1);
    co.timeout = std::chrono::seconds(10);
    auto client = std::make_shared<kube::Client>(std::move(cc), co);
    log::info("metrics: HTTPS; callers are checked with TokenReview and SubjectAccessReview",
              {{"address", so.bind_address}, {"api_server", client->config().server}});
    auto authorizer = std::make_shared<kube::MetricsAuthorizer>(std::move(client));
    render = [authorizer, render](const server::Request& r) {
      auto h = r.headers.find("authorization");
      kube::AccessDecision d =
          authorizer->check(h == r.headers.end() ? std::string() : h->second, r.method, r.path);
      if (d.allowed()) return render(r);
      server::Response out{d.status, "text/plain; charset=utf-8", d.message + "\n", {}};
      if (d.status == 401) out.headers.emplace_back("WWW-Authenticate", "Bearer");
      return out;
    };
    server::TlsOptions tls;
    tls.min_version = "1.2";
    tls.max_version = "1.3";
    so.tls = std::move(tls);
#else
    throw UsageError(
        "--metrics-secure (default true) needs the Kubernetes client (TokenReview), which is not "
        "part of this build; pass --metrics-secure=false");
#endif
  }
  // HTTP/2 over TLS only (ALPN "h2"), as upstream: no cleartext h2c.
  so.http2 = v.boolean("enable-http2");
  if (so.http2 && !so.tls)
    log::warn(
        "--enable-http2: the metrics endpoint is plain HTTP (--metrics-secure=false) and serves "
        "HTTP/1.1 only; HTTP/2 is offered over TLS");
  try {
    auto endpoint = std::make_unique<server::HttpServer>(
        so, std::map<std::string, server::Handler>{{"/metrics", std::move(render)}});
    log::info("metrics endpoint listening", {{"address", so.bind_address},
                                             {"port", std::to_string(endpoint->port())},
                                             {"scheme", so.tls ? "https" : "http"},
                                             {"http2", so.tls && so.http2 ? "on" : "off"}});
    return endpoint;
  } catch (const server::TlsSetupError& e) {
    throw UsageError(std::string("metrics TLS: ") + e.what());
  } catch (const std::runtime_error& e) {
    throw UsageError(std::string("--metrics-bind-address: ") + e.what());
  }
}

}  // namespace

int run_engine(const FlagValues& v, const plugin_host::Catalog& catalog, const RunMode& mode) {
  engine::EngineOptions opts;
  opts.source = source_kind(v.get("source"));
  opts.dir = v.get("dir");
  opts.argocd_namespace = v.get("argocd-namespace").empty() ? "argocd" : v.get("argocd-namespace");
  for (const auto& g : v.list("match-application-name")) {
    std::string err;
    auto glob = model::Glob::compile(g, &err);
    if (!glob) throw UsageError("--match-application-name: " + err);
    opts.name_globs.push_back(*glob);
  }
  if (!v.get("match-application-label").empty()) {
    std::string err;
    opts.label_selector = config::parse_label_selector(v.get("match-application-label"), &err);
    if (!opts.label_selector) throw UsageError("--match-application-label: " + err);
  }
  opts.dry_run = v.boolean("dry-run");
  long long conc = mode.webhook_only ? mode.max_concurrency : v.integer("max-concurrency");
  opts.max_concurrency = conc == 0
                             ? std::min(64u, 4u * std::max(1u, std::thread::hardware_concurrency()))
                             : static_cast<unsigned>(conc);
  opts.schedule = v.get("schedule");
  opts.cooldown = duration_flag(v, "cooldown");
  opts.per_repo_cap = static_cast<int>(v.integer("per-repo-cap"));
  opts.report = v.get("report");
  opts.stop_requested = [] { return g_stop.load(); };
  if (const char* b = std::getenv("GIT_BATCH_DISABLE"))
    opts.batch_disabled = util::parse_bool(b).value_or(false);
  opts.writeback_settings = {
      {"commit_user", v.get("git-commit-user")},
      {"commit_email", v.get("git-commit-email")},
      {"signing_key", v.get("git-commit-signing-key")},
      {"signing_method", v.get("git-commit-signing-method")},
      {"sign_off", v.get("git-commit-sign-off")},
      {"push_attempts", v.get("git-push-attempts")},
      {"cache_dir", v.get("cache-dir").empty() ? std::string() : v.get("cache-dir") + "/git"},
  };
  if (std::filesystem::exists(v.get("git-commit-message-path"))) {
    std::ifstream in(v.get("git-commit-message-path"));
    opts.writeback_settings["commit_message_template"].assign(std::istreambuf_iterator<char>(in),
                                                              {});
  }
  for (const char* env : {"ARGOCD_GIT_ATTEMPTS_COUNT", "ARGOCD_GIT_RETRY_DURATION",
                          "ARGOCD_GIT_RETRY_MAX_DURATION", "ARGOCD_GIT_RETRY_FACTOR"})
    if (const char* val = std::getenv(env)) {
      std::string key = env;
      key = key == "ARGOCD_GIT_ATTEMPTS_COUNT"       ? "attempts_count"
            : key == "ARGOCD_GIT_RETRY_DURATION"     ? "retry_duration"
            : key == "ARGOCD_GIT_RETRY_MAX_DURATION" ? "retry_max_duration"
                                                     : "retry_factor";
      opts.writeback_settings[key] = val;
    }

  // Webhook triggers, hand-over requests and ImageUpdater spec changes wait here for the loop;
  // each wakes it at once. Declared before the Kubernetes side and the servers, whose threads
  // signal them, so that they outlive those threads (they are destroyed after them).
  std::mutex trigger_mu;
  std::condition_variable trigger_cv;
  std::vector<engine::ImageTarget> pending;
  // Hand-over requests among `pending`: run once their images were checked (SPEC §12.4).
  std::vector<std::function<void()>> pending_done;
  std::atomic<bool> config_changed{false};

  // Services.
#ifdef IU_HAVE_KUBE
  // --source crd/annotations: the Kubernetes side; outlives the engine (its hooks point there).
  std::unique_ptr<kube::KubeSide> kube = start_kube_side(v, opts, !mode.webhook_only);
  std::shared_ptr<credentials::SecretSource> kube_secrets = kube ? kube->secrets() : nullptr;
#else
  std::shared_ptr<credentials::SecretSource> kube_secrets;
#endif
  if (opts.source != config::SourceKind::kDir && !opts.snapshot_loader)
    throw UsageError("--source " + v.get("source") +
                     " needs the Kubernetes client, which is not part of this build; use "
                     "--source dir --dir PATH");
  auto http = std::make_shared<http::HttpService>();
  auto resolver = std::make_shared<credentials::Resolver>(kube_secrets);
  plugin_host::set_host_services(std::make_shared<registry::CoreHostServices>(http, resolver));
  // Released on every way out, before static destruction: the HTTP service's thread must end
  // while OpenSSL is still initialised.
  struct HostServicesRelease {
    ~HostServicesRelease() { plugin_host::set_host_services(nullptr); }
  } host_services_release;
  auto creds = std::make_shared<credentials::CredentialCache>(resolver);
  registries::WatcherOptions wopts;
  wopts.path = v.get("registries-conf-path");
  std::unique_ptr<registries::ConfigWatcher> watcher;
  try {
    watcher = std::make_unique<registries::ConfigWatcher>(wopts);
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  registry::RegistryServiceOptions ropts;
  ropts.cache_dir = v.get("cache-dir");
  ropts.cache_max_entries = static_cast<size_t>(v.integer("cache-max-entries"));
  ropts.tag_digest_ttl = duration_flag(v, "tag-digest-ttl");
  ropts.metadata_concurrency =
      static_cast<size_t>(std::max(1LL, v.integer("metadata-concurrency")));
  ropts.http = http.get();
  ropts.registry_max_retries = static_cast<int>(v.integer("registry-max-retries"));
  ropts.registry_max_retry_after = duration_flag(v, "registry-max-retry-after");
  const bool continuous = v.get("loop") == "continuous";
  if (continuous) ropts.tag_list_ttl = duration_flag(v, "tag-list-ttl");
  registries::ConfigWatcher* w = watcher.get();
  registry::RegistryService registry(
      catalog, [w] { return w->table(); }, creds, ropts);
  std::filesystem::path history_file;
  if (!v.get("cache-dir").empty())
    history_file = std::filesystem::path(v.get("cache-dir")) / "history.db";
  engine::HistoryStore history(history_file);
  engine::Engine engine(opts, catalog, registry, history);

  auto interval = duration_flag(v, "interval");
  bool once = !mode.webhook_only && (v.boolean("once") || interval.count() == 0);
  if (once) {
    if (v.boolean("enable-webhook"))
      log::warn("--enable-webhook has no effect with a single pass (--once / --interval 0)");
    engine::PassSummary s = engine.run_pass();
    return s.errors == 0 ? 0 : 1;
  }

  // Long-running: probes and metrics, then a pass every interval (start to start).
  std::atomic<bool> ready{false};
  std::atomic<int64_t> heartbeat{0};
  auto now_s = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  heartbeat = now_s();
  std::unique_ptr<server::HttpServer> health, metrics_server;
  const int64_t stale_after = std::max<int64_t>(3 * interval.count() / 1000, 300);
  if (v.get("health-probe-bind-address") != "0" && !v.get("health-probe-bind-address").empty()) {
    health = std::make_unique<server::HttpServer>(
        server::ServerOptions{v.get("health-probe-bind-address"), 1 << 20},
        std::map<std::string, server::Handler>{
            {"/healthz",
             [&](const server::Request&) {
               bool alive = now_s() - heartbeat.load() < stale_after;
               return server::Response{alive ? 200 : 503,
                                       "text/plain; charset=utf-8",
                                       alive ? "ok\n" : "main loop heartbeat is stale\n",
                                       {}};
             }},
            {"/readyz", [&](const server::Request&) {
#ifdef IU_HAVE_KUBE
               // SPEC §11.2: replicas that disagree on --shard-count are not ready.
               if (std::string why = kube ? kube->not_ready_reason() : std::string(); !why.empty())
                 return server::Response{503, "text/plain; charset=utf-8", why + "\n", {}};
#endif
               return ready.load() ? server::Response{200, "text/plain; charset=utf-8", "ok\n", {}}
                                   : server::Response{503,
                                                      "text/plain; charset=utf-8",
                                                      "warming up: first pass not finished\n",
                                                      {}};
             }}});
  }
  if (v.get("metrics-bind-address") != "0" && !v.get("metrics-bind-address").empty()) {
#ifdef IU_HAVE_KUBE
    metrics_server = start_metrics_server(v, kube.get());
#else
    metrics_server = start_metrics_server(v, nullptr);
#endif
  }
#ifdef IU_HAVE_KUBE
  // SPEC §12.4: parts of webhook events for shards this replica does not hold go to their
  // owners through the Applications' refresh annotation; what other replicas hand over here is
  // checked like a local event. Replicas of one fleet share their flags: only those serving
  // the webhook endpoint take part. Not in the webhook command (it processes every event).
  std::unique_ptr<kube::RefreshHandover> handover;
  if (kube && !mode.webhook_only && v.boolean("enable-webhook")) {
    handover = kube->start_handover(
        [&engine](const config::Snapshot& s, const std::vector<engine::ImageTarget>& t) {
          return engine.affected(s, t);
        });
    if (handover)
      handover->watch([&](kube::RefreshHandover::Request r) {
        {
          std::lock_guard lock(trigger_mu);
          for (auto& t : r.targets()) pending.push_back(std::move(t));
          pending_done.push_back(
              [h = handover.get(), r = std::move(r)]() mutable { h->done(std::move(r)); });
        }
        trigger_cv.notify_one();
      });
  }
#endif
  std::unique_ptr<WebhookIntake> intake;
  if (mode.webhook_only || v.boolean("enable-webhook"))
    intake = start_webhook_intake(v, [&](engine::ImageTarget t) {
#ifdef IU_HAVE_KUBE
      if (handover) handover->hand_over(t);  // the parts for other shards
#endif
      {
        std::lock_guard lock(trigger_mu);
        pending.push_back(std::move(t));
      }
      trigger_cv.notify_one();
    });
    // An ImageUpdater spec change starts a full pass at once (SPEC §10.1, cycle loop).
#ifdef IU_HAVE_KUBE
  if (kube && !continuous && !mode.webhook_only)
    kube->watch_generations([&] {
      config_changed = true;
      trigger_cv.notify_one();
    });
#endif
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  // Shutdown deadline: after SIGTERM/SIGINT, the applications in flight and the queued writes
  // have kShutdownDeadline to finish (nothing new starts); past it the process exits 1, and
  // whatever was not pushed is found again by the next run.
  std::thread([] {
    constexpr auto kShutdownDeadline = std::chrono::seconds(60);
    while (!g_stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(kShutdownDeadline);
    log::error("shutdown deadline (60s) passed with work still running: exiting 1");
    std::_Exit(1);
  }).detach();
  watcher->start();
#ifdef IU_HAVE_KUBE
  // Leader election (SPEC §11.1): true once the Lease is lost for good (the process exits 1).
  using Gate = kube::KubeSide::Gate;
  auto lease_lost = [&] { return kube && kube->gate(std::chrono::milliseconds(0)) == Gate::lost; };
  if (continuous)  // a standby waits for the Lease before its first light pass
    while (kube && !g_stop.load() && kube->gate(std::chrono::seconds(1)) == Gate::standby) {
      heartbeat = now_s();
      ready = true;
    }
#else
  auto lease_lost = [] { return false; };
#endif
  if (continuous) {
    engine::ContinuousOptions co;
    co.interval = interval;
    co.batch_window = duration_flag(v, "git-batch-window");
    co.batch_max_wait = duration_flag(v, "git-batch-max-wait");
    engine.run_continuous(
        co, [&] { return g_stop.load() || lease_lost(); },
        [&](std::chrono::milliseconds max_wait) {
          std::unique_lock lock(trigger_mu);
          trigger_cv.wait_for(lock, max_wait, [&] { return !pending.empty() || g_stop.load(); });
          std::vector<engine::ImageTarget> out;
          out.swap(pending);
          // Hand-over requests count as checked once dispatched (the loop does so at once).
          for (auto& done : pending_done) done();
          pending_done.clear();
          return out;
        },
        [&] {
          ready = true;
          heartbeat = now_s();
        });
    if (lease_lost()) {
      log::error("leadership lost: stopping (exit 1) so that the replica is restarted");
      intake.reset();
      watcher->stop();
      return 1;
    }
  }
  // The webhook command runs no periodic pass: only what the events name.
  auto next_pass = mode.webhook_only ? std::chrono::steady_clock::time_point::max()
                                     : std::chrono::steady_clock::now();
  if (mode.webhook_only) ready = true;
  while (!continuous && !g_stop.load()) {
    std::vector<engine::ImageTarget> triggered;
    std::vector<std::function<void()>> triggered_done;
    {
      std::unique_lock lock(trigger_mu);
      // Wake for a trigger, the next pass or (every 100 ms) a stop signal.
      while (!config_changed.exchange(false) && !g_stop.load() && pending.empty() &&
             std::chrono::steady_clock::now() < next_pass)
        trigger_cv.wait_for(lock, std::min<std::chrono::steady_clock::duration>(
                                      std::chrono::milliseconds(100),
                                      next_pass - std::chrono::steady_clock::now()));
      triggered.swap(pending);
      triggered_done.swap(pending_done);
    }
    if (g_stop.load()) break;
#ifdef IU_HAVE_KUBE
    // Leader election (SPEC §11): a standby replica waits; a replica that lost its Lease exits 1.
    if (kube) {
      auto gate = kube->gate(std::chrono::seconds(1));
      if (gate == kube::KubeSide::Gate::lost) {
        log::error("leadership lost: stopping (exit 1) so that the replica is restarted");
        intake.reset();
        watcher->stop();
        return 1;
      }
      if (gate == kube::KubeSide::Gate::standby) {
        heartbeat = now_s();
        ready = true;
        continue;
      }
    }
#endif
    try {
      if (!triggered.empty()) {
        engine::PassScope scope(std::move(triggered));
        engine.run_pass(&scope);
      } else {
        next_pass = std::chrono::steady_clock::now() + interval;  // start to start
        engine.run_pass();
        ready = true;
      }
    } catch (const std::exception& e) {
      log::error(std::string("pass failed: ") + e.what());
      ready = true;
    }
    for (auto& done : triggered_done) done();
    heartbeat = now_s();
  }
  intake.reset();
  log::info(
      "shutting down: stopped dispatching; pending write-backs were flushed at the end of the last "
      "pass");
  watcher->stop();
  return 0;
}

}  // namespace iu::cli
