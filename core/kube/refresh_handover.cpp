#include "kube/refresh_handover.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>

#include "kube/shard.hpp"
#include "kube/time_format.hpp"
#include "log/log.hpp"
#include "metrics/registry.hpp"
#include "model/image_ref.hpp"

namespace iu::kube {
namespace {

constexpr std::string_view kAppGV = "argoproj.io/v1alpha1";
constexpr int kWriteAttempts = 5;  // read-merge-write rounds on 409

std::string app_key(std::string_view ns, std::string_view name) {
  return std::string(ns) + "/" + std::string(name);
}

std::string string_member(const rapidjson::Value& o, const char* key) {
  return o.IsObject() && o.HasMember(key) && o[key].IsString() ? std::string(o[key].GetString())
                                                               : std::string();
}

// Facts of an Application object: namespace, name, resourceVersion and the refresh annotation
// (`present` false when absent).
struct AppFacts {
  std::string ns, name, resource_version, refresh;
  bool present = false;
};

AppFacts app_facts(const rapidjson::Value& o) {
  AppFacts f;
  if (!o.IsObject() || !o.HasMember("metadata") || !o["metadata"].IsObject()) return f;
  const auto& m = o["metadata"];
  f.ns = string_member(m, "namespace");
  f.name = string_member(m, "name");
  f.resource_version = string_member(m, "resourceVersion");
  if (m.HasMember("annotations") && m["annotations"].IsObject()) {
    const std::string key(kRefreshAnnotation);
    const auto& a = m["annotations"];
    if (a.HasMember(key.c_str()) && a[key.c_str()].IsString()) {
      f.refresh = a[key.c_str()].GetString();
      f.present = true;
    }
  }
  return f;
}

// {"metadata":{"resourceVersion":rv,"annotations":{refresh: value or null}}}: a merge patch the
// API server applies only while the object still has that resourceVersion (409 otherwise).
std::string guarded_patch(const std::string& resource_version, const std::string* value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("metadata");
  w.StartObject();
  w.Key("resourceVersion");
  w.String(resource_version.c_str(), static_cast<rapidjson::SizeType>(resource_version.size()));
  w.Key("annotations");
  w.StartObject();
  w.Key(kRefreshAnnotation.data(), static_cast<rapidjson::SizeType>(kRefreshAnnotation.size()));
  if (value != nullptr)
    w.String(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
  else
    w.Null();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

uint64_t events_metric() {
  // The family webhook_intake declares; declare() is idempotent.
  static const uint64_t id = metrics::Registry::global().declare(
      metrics::Type::counter, "argocd_image_updater_webhook_events_total",
      "Webhook image events, by type and what became of them", {"type", "result"});
  return id;
}

}  // namespace

std::vector<engine::ImageTarget> RefreshHandover::Request::targets() const {
  std::vector<engine::ImageTarget> out;
  for (const auto& e : entries) {
    engine::ImageTarget t;
    t.registry = e.registry;
    t.repository = e.repository;
    out.push_back(std::move(t));
  }
  return out;
}

RefreshHandover::RefreshHandover(const Client& client, Options options)
    : client_(client), options_(std::move(options)), worker_([this] { run_worker(); }) {}

RefreshHandover::~RefreshHandover() {
  stopping_ = true;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
  for (auto& t : watchers_) t.join();
}

void RefreshHandover::hand_over(engine::ImageTarget target) {
  {
    std::lock_guard lock(mu_);
    to_send_.push_back(std::move(target));
  }
  wake_.notify_all();
}

void RefreshHandover::done(Request request) {
  {
    std::lock_guard lock(mu_);
    to_remove_.push_back(std::move(request));
  }
  wake_.notify_all();
}

void RefreshHandover::run_worker() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait(lock, [&] { return stop_ || !to_send_.empty() || !to_remove_.empty(); });
    if (stop_) break;
    std::vector<engine::ImageTarget> send_now;
    std::vector<Request> remove_now;
    send_now.swap(to_send_);
    remove_now.swap(to_remove_);
    lock.unlock();
    try {
      if (!send_now.empty()) send(send_now);  // one listing for everything queued
    } catch (const std::exception& e) {
      log::warn(std::string("webhook hand-over to other shards failed: ") + e.what());
    }
    for (const auto& r : remove_now) {
      try {
        remove(r);
      } catch (const std::exception& e) {
        log::warn(std::string("cannot remove the refresh annotation: ") + e.what(),
                  {{"application", r.name}, {"application_namespace", r.ns}});
        // Seen again at the next event of the application (or the next owner's listing).
        std::lock_guard relock(mu_);
        auto it = requested_.find(app_key(r.ns, r.name));
        if (it != requested_.end())
          for (const auto& e : r.entries) it->second.erase(e.text());
      }
    }
    lock.lock();
  }
}

void RefreshHandover::send(const std::vector<engine::ImageTarget>& targets) {
  const int held = options_.held_shard ? options_.held_shard() : -1;
  // One shard, held: every application is this replica's own.
  if ((options_.shard_count <= 1 && held == 0) || !options_.affected) return;
  KubeSnapshot fleet = load_snapshot(client_, options_.source);
  const std::vector<std::vector<config::ObjectRef>> affected =
      options_.affected(fleet.snapshot, targets);
  const std::string now = format_micro_time(std::chrono::system_clock::now());
  for (size_t i = 0; i < targets.size() && i < affected.size(); ++i) {
    const engine::ImageTarget& t = targets[i];
    const RefreshEntry entry{
        model::canonical_registry(t.registry.empty() ? "docker.io" : t.registry), t.repository,
        now};
    int handed = 0;
    for (const auto& ref : affected[i]) {
      const int shard = shard_of(ref.ns, ref.name, options_.shard_count);
      if (shard == held) continue;  // checked here, by the local pass
      const config::Application* app = fleet.snapshot.find_application(ref.ns, ref.name);
      if (app == nullptr) continue;
      auto say = [&](log::Level level, const std::string& message) {
        log::write(level, message,
                   {{"application", ref.name},
                    {"application_namespace", ref.ns},
                    {"image", entry.image()},
                    {"shard", std::to_string(shard)}});
      };
      if (options_.dry_run) {
        say(log::Level::info,
            "Dry run - not handing the webhook event over to the owner of shard " +
                std::to_string(shard));
        continue;
      }
      std::string value;
      if (auto it = app->annotations.find(kRefreshAnnotation); it != app->annotations.end())
        value = it->second;
      const auto info = fleet.objects.find(object_key("Application", ref.ns, ref.name));
      const std::string rv = info == fleet.objects.end() ? "" : info->second.resource_version;
      try {
        if (annotate(ref, std::move(value), rv, entry)) {
          ++handed;
          say(log::Level::info,
              "webhook event handed over to the owner of shard " + std::to_string(shard));
        }
      } catch (const std::exception& e) {
        say(log::Level::warn, std::string("cannot hand the webhook event over: ") + e.what());
      }
    }
    if (handed > 0)
      metrics::Registry::global().update(
          events_metric(), {t.webhook_type.empty() ? "unknown" : t.webhook_type, "handed_over"}, 1);
  }
}

// Adds `entry` to the annotation (`value`, as read at `resource_version`). False when the
// application is gone.
bool RefreshHandover::annotate(const config::ObjectRef& ref, std::string value,
                               std::string resource_version, const RefreshEntry& entry) {
  const std::string path = resource_path(kAppGV, "applications", ref.ns, ref.name);
  for (int attempt = 1;; ++attempt) {
    const std::string merged = format_refresh(merge_refresh(parse_refresh(value).entries, entry));
    if (merged == value) return true;  // already there (and no newer)
    try {
      if (resource_version.empty()) throw ApiError(409, "Conflict", "no resourceVersion yet");
      client_.merge_patch(path, guarded_patch(resource_version, &merged));
      return true;
    } catch (const ApiError& e) {
      if (e.not_found()) return false;
      if (!e.conflict() || attempt >= kWriteAttempts) throw;
    }
    auto body = client_.get_if_exists(path);
    if (!body) return false;
    rapidjson::Document d;
    d.Parse(body->data(), body->size());
    AppFacts f = app_facts(d);
    value = f.refresh;
    resource_version = f.resource_version;
  }
}

void RefreshHandover::remove(const Request& r) {
  const std::string path = resource_path(kAppGV, "applications", r.ns, r.name);
  for (int attempt = 1;; ++attempt) {
    auto body = client_.get_if_exists(path);
    if (!body) return;  // deleted meanwhile
    rapidjson::Document d;
    d.Parse(body->data(), body->size());
    const AppFacts f = app_facts(d);
    if (!f.present) return;
    const RefreshValue current = parse_refresh(f.refresh);
    const std::string rest = format_refresh(remaining_refresh(current, r.entries));
    if (rest == f.refresh) return;  // nothing of ours left (removed or renewed meanwhile)
    try {
      client_.merge_patch(path, guarded_patch(f.resource_version, rest.empty() ? nullptr : &rest));
      log::debug("refresh request checked: entries removed",
                 {{"application", r.name}, {"application_namespace", r.ns}});
      return;
    } catch (const ApiError& e) {
      if (e.not_found()) return;
      if (!e.conflict() || attempt >= kWriteAttempts) throw;
    }
  }
}

void RefreshHandover::watch(std::function<void(Request)> on_request) {
  if (!watchers_.empty()) return;
  on_request_ = std::move(on_request);
  const std::vector<std::string> spaces = options_.source.namespaces.empty()
                                              ? std::vector<std::string>{""}
                                              : options_.source.namespaces;
  for (const auto& ns : spaces) watchers_.emplace_back([this, ns] { watch_namespace(ns); });
}

void RefreshHandover::watch_namespace(const std::string& ns) {
  // A replica that holds no shard owns no application: it waits (with auto shard indexes a
  // replica takes at most one shard, once, and exits when it loses it).
  while (!stopping_ && options_.held_shard && options_.held_shard() < 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::string path = resource_path(kAppGV, "applications", ns);
  std::string rv;
  while (!stopping_) {
    try {
      if (rv.empty()) {
        // (Re)list: requests made while not watching, however old, and where to resume.
        const std::string body = client_.get(path);
        rapidjson::Document d;
        d.Parse(body.data(), body.size());
        if (!d.HasParseError() && d.IsObject() && d.HasMember("items") && d["items"].IsArray())
          for (const auto& item : d["items"].GetArray()) {
            rapidjson::StringBuffer buf;
            rapidjson::Writer<rapidjson::StringBuffer> w(buf);
            item.Accept(w);
            observe("ADDED", std::string(buf.GetString(), buf.GetSize()));
          }
        if (d.IsObject() && d.HasMember("metadata"))
          rv = string_member(d["metadata"], "resourceVersion");
        if (rv.empty()) rv = "0";
      }
      rv = client_.watch(path, rv, std::chrono::seconds(300), &stopping_,
                         [&](std::string_view type, const std::string& object) {
                           observe(type, object);
                           return !stopping_.load();
                         });
    } catch (const std::exception& e) {
      const auto* api = dynamic_cast<const ApiError*>(&e);
      if (api == nullptr || api->status() != 410)
        log::warn(std::string("watching Applications for refresh requests: ") + e.what());
      rv.clear();
      for (int i = 0; i < 20 && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

void RefreshHandover::observe(std::string_view type, const std::string& object) {
  if (type != "ADDED" && type != "MODIFIED" && type != "DELETED") return;
  rapidjson::Document d;
  d.Parse(object.data(), object.size());
  const AppFacts f = app_facts(d);
  if (f.name.empty()) return;
  const std::string key = app_key(f.ns, f.name);
  Request request{f.ns, f.name, {}};
  bool malformed_only = false;
  {
    std::lock_guard lock(mu_);
    if (type == "DELETED" || !f.present) {
      requested_.erase(key);
      return;
    }
    const int held = options_.held_shard ? options_.held_shard() : -1;
    if (held < 0 || shard_of(f.ns, f.name, options_.shard_count) != held) return;
    const RefreshValue value = parse_refresh(f.refresh);
    auto& seen = requested_[key];
    // Entries gone from the annotation are forgotten (events arrive in order: they come back
    // only as a new hand-over).
    std::set<std::string> present;
    for (const auto& e : value.entries) present.insert(e.text());
    for (const auto& m : value.malformed) present.insert(m);
    std::erase_if(seen, [&](const std::string& t) { return present.count(t) == 0; });
    for (const auto& e : value.entries)
      if (seen.insert(e.text()).second) request.entries.push_back(e);
    for (const auto& m : value.malformed)
      if (seen.insert(m).second) {
        log::warn("ignoring a malformed refresh annotation entry: " + m,
                  {{"application", f.name}, {"application_namespace", f.ns}});
        malformed_only = true;
      }
    malformed_only = malformed_only && request.entries.empty();
  }
  if (!request.entries.empty()) {
    std::string images;
    for (const auto& e : request.entries) images += (images.empty() ? "" : ", ") + e.image();
    log::info("refresh requested by another replica: checking " + images,
              {{"application", f.name}, {"application_namespace", f.ns}});
    if (on_request_) on_request_(std::move(request));
  } else if (malformed_only) {
    done(std::move(request));  // nothing to check: just clean the annotation
  }
}

}  // namespace iu::kube
