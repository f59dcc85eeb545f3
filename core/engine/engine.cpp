#include "engine/engine.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fstream>

#include "config/dir_source.hpp"
#include "engine/write_queue.hpp"
#include "log/log.hpp"
#include "metrics/registry.hpp"
#include "plugin_host/instance.hpp"
#include "registry/registry_service.hpp"

namespace iu::engine {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Metrics {
  uint64_t apps_watched, images_watched, images_updated, images_errors, cycle_duration,
      last_attempt, last_success;
  Metrics() {
    auto& r = metrics::Registry::global();
    const std::vector<std::string> cr{"image_updater_cr_name", "image_updater_cr_namespace"};
    apps_watched =
        r.declare(metrics::Type::gauge, "argocd_image_updater_applications_watched_total",
                  "Number of applications watched by the image updater", cr);
    images_watched = r.declare(metrics::Type::gauge, "argocd_image_updater_images_watched_total",
                               "Number of images watched by the image updater", cr);
    images_updated = r.declare(metrics::Type::counter, "argocd_image_updater_images_updated_total",
                               "Number of images updated by the image updater", cr);
    images_errors = r.declare(metrics::Type::counter, "argocd_image_updater_images_errors_total",
                              "Number of errors reported by the image updater", cr);
    cycle_duration =
        r.declare(metrics::Type::histogram, "argocd_image_updater_cycle_duration_seconds",
                  "Duration of one pass over the managed applications", {},
                  {1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600});
    last_attempt =
        r.declare(metrics::Type::gauge, "argocd_image_updater_app_last_attempt_timestamp_seconds",
                  "Time of the last attempt to update the application",
                  {"application_namespace", "application"});
    last_success =
        r.declare(metrics::Type::gauge, "argocd_image_updater_app_last_success_timestamp_seconds",
                  "Time of the last successful update of the application",
                  {"application_namespace", "application"});
  }
};

Metrics& engine_metrics() {
  static Metrics m;
  return m;
}

// Whether a webhook-scoped pass checks the application: one of its images is in the scope.
bool in_scope(const config::ManagedApplication& m, const PassScope& scope) {
  for (const auto& img : m.images)
    if (scope.match(img.ref)) return true;
  return false;
}

}  // namespace

Engine::Engine(EngineOptions options, const plugin_host::Catalog& catalog,
               registry::RegistryService& registry, HistoryStore& history)
    : options_(std::move(options)),
      catalog_(catalog),
      registry_(registry),
      history_(history),
      planner_(options_.cooldown, options_.per_repo_cap) {
  scheduler_ = std::make_unique<plugin_host::SchedulerInstance>(
      catalog_.resolve(plugin_host::Kind::scheduler, options_.schedule), plugin_host::ConfigMap{});
}

Engine::~Engine() = default;

const plugin_host::StrategyInstance& Engine::strategy(const std::string& name) {
  std::lock_guard lock(instances_mu_);
  auto& slot = strategies_[name];
  if (!slot)
    slot = std::make_unique<plugin_host::StrategyInstance>(
        catalog_.resolve(plugin_host::Kind::strategy, name), plugin_host::ConfigMap{});
  return *slot;
}

const plugin_host::WritebackInstance& Engine::writeback(const std::string& name) {
  std::lock_guard lock(instances_mu_);
  auto& slot = writebacks_[name];
  if (!slot) {
    const auto& impl = catalog_.resolve(plugin_host::Kind::writeback, name);
    plugin_host::ConfigMap offered;
    for (const auto& key : impl.config_keys)
      if (auto it = options_.writeback_settings.find(key.name);
          it != options_.writeback_settings.end())
        offered[key.name] = it->second;
    slot = std::make_unique<plugin_host::WritebackInstance>(
        impl, plugin_host::validate_config(impl, offered, "writeback " + name));
  }
  return *slot;
}

config::Snapshot Engine::load_snapshot() {
  if (options_.snapshot_loader) return options_.snapshot_loader();
  if (options_.source != config::SourceKind::kDir)
    throw std::runtime_error(
        "the " + std::string(options_.source == config::SourceKind::kCrd ? "crd" : "annotations") +
        " source needs the Kubernetes client, which is not part of this build yet");
  return config::DirSource(options_.dir, options_.argocd_namespace).load();
}

config::MatchOptions Engine::match_options() {
  config::MatchOptions match;
  match.source = options_.source;
  match.argocd_namespace = options_.argocd_namespace;
  match.name_globs = options_.name_globs;
  match.label_selector = options_.label_selector;
  match.check_strategy = [this](std::string_view name, std::string_view version) {
    config::StrategyCheck c;
    const auto* impl = catalog_.find(plugin_host::Kind::strategy, name);
    if (impl == nullptr) {
      try {
        catalog_.resolve(plugin_host::Kind::strategy, name);
      } catch (const std::exception& e) {
        c.error = e.what();
      }
      return c;
    }
    c.name = impl->name;
    if (impl->name != name)
      log::warn("update strategy \"" + std::string(name) + "\" is deprecated, use \"" + impl->name +
                "\"");
    try {
      strategy(impl->name).validate(version);
    } catch (const plugin_host::PluginError& e) {
      std::string msg = e.what();
      // The plugin prefixes `strategy "x": validate: `; the issue names the field itself.
      auto p = msg.find(": validate: ");
      c.version_error = p == std::string::npos ? msg : msg.substr(p + 12);
    }
    return c;
  };
  match.check_write_back = [this](std::string_view plugin) -> std::optional<std::string> {
    if (catalog_.find(plugin_host::Kind::writeback, plugin) != nullptr) return std::nullopt;
    try {
      catalog_.resolve(plugin_host::Kind::writeback, plugin);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::nullopt;
  };
  return match;
}

std::vector<plugin_host::SchedJob> Engine::jobs_for(
    const std::vector<config::ManagedApplication>& managed) const {
  std::vector<plugin_host::SchedJob> jobs;
  for (const auto& m : managed) {
    plugin_host::SchedJob j;
    j.app_namespace = m.app->ref.ns;
    j.app_name = m.app->ref.name;
    j.repository =
        m.write_back.repository.value_or(m.app->sources.empty() ? "" : m.app->sources[0].repo_url);
    AppHistory h = history_.get(j.app_namespace, j.app_name);
    j.last_attempt_ms = h.last_attempt_ms;
    j.last_success_ms = h.last_success_ms;
    j.last_failure_ms = h.last_failure_ms;
    j.last_result = h.last_result;
    jobs.push_back(std::move(j));
  }
  return jobs;
}

ProcessContext Engine::process_context(const config::Snapshot* snapshot, const PassScope* scope) {
  ProcessContext ctx;
  ctx.registry = &registry_;
  ctx.strategy = [this](const std::string& n) -> const plugin_host::StrategyInstance& {
    return strategy(n);
  };
  ctx.writeback = [this](const std::string& n) -> const plugin_host::WritebackInstance& {
    return writeback(n);
  };
  ctx.snapshot = snapshot;
  ctx.source = options_.source;
  ctx.argocd_namespace = options_.argocd_namespace;
  ctx.dry_run = options_.dry_run;
  ctx.scope = scope;

  return ctx;
}

bool Engine::hand_over(AppOutcome& o, WriteQueue& queue) {
  if (!o.intent) return false;
  if (options_.dry_run) {
    log::info("Dry run - not committing " + std::to_string(o.intent->changes.size()) +
                  " changes to application " + o.app_name,
              {{"application", o.app_name}});
    return false;
  }
  try {
    queue.enqueue(o.write_plugin, std::move(*o.intent));
    return true;
  } catch (const std::exception& e) {
    o.error = std::string("Could not update application spec: ") + e.what();
    ++o.errors;
    log::error(o.error, {{"application", o.app_name}});
    return false;
  }
}

void Engine::record_app(const config::ManagedApplication& m, AppOutcome& o,
                        const WriteOutcome* write, PassSummary& summary) {
  auto& mx = engine_metrics();
  auto& reg = metrics::Registry::global();
  std::vector<std::string> cr{m.updater.name, m.updater.ns};
  ++summary.applications;
  summary.images_considered += o.considered;
  summary.images_skipped += o.skipped_images;
  int updated = 0;
  bool failed = o.errors > 0 || !o.error.empty();
  if (write != nullptr) {
    if (write->status == IU_STATUS_OK) {
      updated = static_cast<int>(write->changes_applied);
    } else {
      failed = true;
      ++o.errors;
      o.error = write->message;
    }
  }
  summary.images_updated += updated;
  summary.errors += o.errors;
  if (updated > 0) reg.update(mx.images_updated, cr, updated);
  // Configuration errors of the application's images count too: the image was not checked.
  int config_errors =
      static_cast<int>(std::count_if(m.issues.begin(), m.issues.end(), [](const auto& i) {
        return i.severity == config::Severity::kError;
      }));
  if (o.errors + config_errors > 0) reg.update(mx.images_errors, cr, o.errors + config_errors);
  int64_t t = now_ms();
  history_.record(o.app_namespace, o.app_name, t, !failed, updated > 0);
  reg.update(mx.last_attempt, {o.app_namespace, o.app_name}, static_cast<double>(t) / 1000.0);
  if (!failed)
    reg.update(mx.last_success, {o.app_namespace, o.app_name}, static_cast<double>(t) / 1000.0);
}

void Engine::publish_watched(const std::vector<config::ManagedApplication>& managed) {
  auto& mx = engine_metrics();
  auto& reg = metrics::Registry::global();
  std::map<std::pair<std::string, std::string>, std::pair<int, int>> watched;  // apps, images
  for (const auto& m : managed) {
    auto& w = watched[{m.updater.name, m.updater.ns}];
    w.first += 1;
    w.second += static_cast<int>(m.images.size());
  }
  for (const auto& [cr, counts] : watched) {
    reg.update(mx.apps_watched, {cr.first, cr.second}, counts.first);
    reg.update(mx.images_watched, {cr.first, cr.second}, counts.second);
  }
}

std::vector<std::vector<config::ObjectRef>> Engine::affected(
    const config::Snapshot& snapshot, const std::vector<ImageTarget>& targets) {
  const std::vector<config::ManagedApplication> managed =
      config::resolve(snapshot, match_options(), nullptr);
  std::vector<std::vector<config::ObjectRef>> out;
  for (const auto& t : targets) {
    const PassScope scope({t});
    auto& refs = out.emplace_back();
    for (const auto& m : managed)
      if (in_scope(m, scope)) refs.push_back(m.app->ref);
  }
  return out;
}

PassSummary Engine::run_pass(const PassScope* scope) {
  std::lock_guard pass_lock(pass_mu_);
  const auto started = std::chrono::steady_clock::now();
  PassSummary summary;
  config::Snapshot snapshot = load_snapshot();
  std::vector<config::ConfigIssue> issues;
  std::vector<config::ManagedApplication> managed =
      config::resolve(snapshot, match_options(), &issues);
  config::log_issues(issues);
  for (const auto& i : issues)
    if (i.severity == config::Severity::kError) ++summary.errors;
  if (scope)
    std::erase_if(managed,
                  [scope](const config::ManagedApplication& m) { return !in_scope(m, *scope); });

  // Order of work.
  std::vector<plugin_host::SchedJob> jobs = jobs_for(managed);
  int64_t t0 = now_ms();
  PassPlan plan = planner_.plan(*scheduler_, jobs, t0);
  if (scope)
    log::info("Starting webhook-triggered update of " + std::to_string(plan.order.size()) +
              " application(s) for " + scope->describe());
  else
    log::info("Starting image update cycle, considering " + std::to_string(plan.order.size()) +
              " application(s) for update");
  registry_.begin_pass();

  ProcessContext ctx = process_context(&snapshot, scope);

  std::vector<AppOutcome> outcomes(plan.order.size());
  std::vector<char> begun(plan.order.size(), 0);
  WriteQueue queue(ctx.writeback, options_.batch_disabled);
  {
    boost::asio::thread_pool pool(std::max(1u, options_.max_concurrency));
    for (size_t k = 0; k < plan.order.size(); ++k) {
      boost::asio::post(pool, [&, k] {
        if (options_.stop_requested && options_.stop_requested()) return;  // shutting down
        begun[k] = 1;
        const auto& m = managed[plan.order[k]];
        outcomes[k] = process_application(m, ctx);
        hand_over(outcomes[k], queue);
      });
    }
    pool.join();
  }
  // Applications a shutdown kept from starting are neither reported nor recorded.
  size_t kept = 0;
  for (size_t k = 0; k < plan.order.size(); ++k)
    if (begun[k]) {
      if (kept != k) {  // never a self-move
        plan.order[kept] = plan.order[k];
        outcomes[kept] = std::move(outcomes[k]);
      }
      ++kept;
    }
  if (kept < plan.order.size())
    log::info("shutting down: " + std::to_string(plan.order.size() - kept) +
              " application(s) not started in this pass");
  plan.order.resize(kept);
  outcomes.resize(kept);
  std::vector<WriteOutcome> writes = queue.flush();

  // Tally, history, metrics.
  std::map<std::string, const WriteOutcome*> write_by_app;
  for (const auto& w : writes) write_by_app[w.app_namespace + "/" + w.app_name] = &w;
  for (size_t k = 0; k < plan.order.size(); ++k) {
    auto it = write_by_app.find(outcomes[k].app_namespace + "/" + outcomes[k].app_name);
    record_app(managed[plan.order[k]], outcomes[k], it == write_by_app.end() ? nullptr : it->second,
               summary);
  }
  if (!scope) publish_watched(managed);
  history_.save();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics::Registry::global().update(engine_metrics().cycle_duration, {}, seconds);
  log::info("Processing results: applications=" + std::to_string(summary.applications) +
            " images_considered=" + std::to_string(summary.images_considered) +
            " images_skipped=" + std::to_string(summary.images_skipped) + " images_updated=" +
            std::to_string(summary.images_updated) + " errors=" + std::to_string(summary.errors));
  if (options_.pass_observer)
    options_.pass_observer(PassRecord{snapshot, managed, plan.order, outcomes, writes, issues,
                                      summary, options_.dry_run, scope != nullptr});
  if (!options_.report.empty()) write_report(outcomes, writes, issues, summary);
  return summary;
}

void Engine::write_report(const std::vector<AppOutcome>& apps,
                          const std::vector<WriteOutcome>& writes,
                          const std::vector<config::ConfigIssue>& issues, const PassSummary& s) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  auto str = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  };
  std::map<std::string, const WriteOutcome*> write_by_app;
  for (const auto& wo : writes) write_by_app[wo.app_namespace + "/" + wo.app_name] = &wo;
  w.StartObject();
  w.Key("summary");
  w.StartObject();
  w.Key("applications");
  w.Int(s.applications);
  w.Key("images_considered");
  w.Int(s.images_considered);
  w.Key("images_skipped");
  w.Int(s.images_skipped);
  w.Key("images_updated");
  w.Int(s.images_updated);
  w.Key("errors");
  w.Int(s.errors);
  w.EndObject();
  w.Key("applications");
  w.StartArray();
  for (const auto& a : apps) {
    w.StartObject();
    str("namespace", a.app_namespace);
    str("name", a.app_name);
    if (!a.error.empty()) str("error", a.error);
    auto wr = write_by_app.find(a.app_namespace + "/" + a.app_name);
    if (wr != write_by_app.end()) {
      str("write_result", wr->second->status == IU_STATUS_OK ? "written" : "failed");
      str("write_message", wr->second->message);
    }
    w.Key("images");
    w.StartArray();
    for (const auto& i : a.images) {
      w.StartObject();
      str("alias", i.alias);
      str("image", i.image);
      static const char* names[] = {"skipped", "unchanged", "updated", "error"};
      str("result", names[static_cast<int>(i.result)]);
      str("old_version", i.old_version);
      str("new_version", i.new_version);
      if (!i.message.empty()) str("message", i.message);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("configuration_errors");
  w.StartArray();
  for (const auto& i : issues)
    if (i.severity == config::Severity::kError) {
      std::string t = i.what();
      w.String(t.c_str(), static_cast<rapidjson::SizeType>(t.size()));
    }
  w.EndArray();
  w.EndObject();
  std::filesystem::path tmp = options_.report;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << buf.GetString() << "\n";
    if (!out) {
      log::error("cannot write the report", {{"file", options_.report.string()}});
      return;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, options_.report, ec);
  if (ec)
    log::error("cannot write the report: " + ec.message(), {{"file", options_.report.string()}});
}

}  // namespace iu::engine
