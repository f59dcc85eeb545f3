#include "kube/events.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

#include "kube/time_format.hpp"
#include "log/log.hpp"

namespace iu::kube {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void kv(Writer& w, const std::string& k, const std::string& v) {
  w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

}  // namespace

std::string event_body(const EventObject& o, const std::string& type, const std::string& reason,
                       const std::string& message, const std::vector<EventImage>& images,
                       std::chrono::system_clock::time_point now, const std::string& instance) {
  const std::string t = format_time(now);
  char suffix[32];
  std::snprintf(
      suffix, sizeof suffix, "%llx",
      static_cast<unsigned long long>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count()));
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  kv(w, "apiVersion", "v1");
  kv(w, "kind", "Event");
  w.Key("metadata");
  w.StartObject();
  kv(w, "name", o.name + "." + suffix);
  kv(w, "namespace", o.ns);
  if (!images.empty()) {
    w.Key("annotations");
    w.StartObject();
    for (size_t i = 0; i < images.size(); ++i) {
      const std::string p = "argocd-image-updater.image-" + std::to_string(i) + "/";
      kv(w, p + "full-image-name", images[i].full_image_name);
      kv(w, p + "image-name", images[i].image_name);
      kv(w, p + "old-tag", images[i].old_tag);
      kv(w, p + "new-tag", images[i].new_tag);
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("involvedObject");
  w.StartObject();
  kv(w, "apiVersion", o.api_version);
  kv(w, "kind", o.kind);
  kv(w, "namespace", o.ns);
  kv(w, "name", o.name);
  if (!o.uid.empty()) kv(w, "uid", o.uid);
  w.EndObject();
  kv(w, "type", type);
  kv(w, "reason", reason);
  kv(w, "message", message);
  w.Key("source");
  w.StartObject();
  kv(w, "component", "argocd-image-updater");
  w.EndObject();
  kv(w, "reportingComponent", "argocd-image-updater");
  kv(w, "reportingInstance", instance);
  kv(w, "firstTimestamp", t);
  kv(w, "lastTimestamp", t);
  w.Key("count");
  w.Int(1);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

void EventRecorder::post(const EventObject& o, const std::string& body) {
  try {
    client_.create(resource_path("v1", "events", o.ns), body);
  } catch (const std::exception& e) {
    log::warn(std::string("cannot record an event on ") + o.kind + " " + o.ns + "/" + o.name +
              ": " + e.what());
  }
}

void EventRecorder::images_updated(const EventObject& app, const std::vector<EventImage>& images) {
  post(app, event_body(app, "Normal", "ImagesUpdated",
                       "Successfully updated application '" + app.name + "'", images,
                       std::chrono::system_clock::now(), instance_));
}

void EventRecorder::warning(const EventObject& o, const std::string& reason,
                            const std::string& message) {
  const std::string key = o.kind + "/" + o.ns + "/" + o.name + "#" + reason;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    auto it = last_warning_.find(key);
    if (it != last_warning_.end() && now - it->second < std::chrono::minutes(10)) return;
    last_warning_[key] = now;
  }
  post(o,
       event_body(o, "Warning", reason, message, {}, std::chrono::system_clock::now(), instance_));
}

}  // namespace iu::kube
