// KubeSide: watching the ImageUpdaters for spec changes (SPEC §10.1).
#include <rapidjson/document.h>

#include <thread>

#include "kube/kube_side.hpp"
#include "log/log.hpp"

namespace iu::kube {

void KubeSide::watch_generations(std::function<void()> handler) {
  if (options_.kind != config::SourceKind::kCrd || !watchers_.empty()) return;
  auto shared = std::make_shared<std::function<void()>>(std::move(handler));
  const std::vector<std::string> spaces =
      namespaces_.empty() ? std::vector<std::string>{""} : namespaces_;
  for (const auto& ns : spaces)
    watchers_.emplace_back([this, ns, shared] { watch_namespace(ns, *shared); });
}

void KubeSide::watch_namespace(const std::string& ns, const std::function<void()>& handler) {
  const std::string path = resource_path(kImageUpdaterGV, "imageupdaters", ns);
  std::map<std::string, int64_t> generations;  // "ns/name" -> metadata.generation
  // Records an object; true when it is new or its generation changed.
  auto key_of = [](const rapidjson::Value& o) {
    if (!o.IsObject() || !o.HasMember("metadata") || !o["metadata"].IsObject())
      return std::string();
    const auto& m = o["metadata"];
    auto s = [&](const char* k) {
      return m.HasMember(k) && m[k].IsString() ? std::string(m[k].GetString()) : std::string();
    };
    return s("namespace") + "/" + s("name");
  };
  auto note = [&](const rapidjson::Value& o) {
    const std::string key = key_of(o);
    if (key.empty()) return false;
    const auto& m = o["metadata"];
    const int64_t gen =
        m.HasMember("generation") && m["generation"].IsInt64() ? m["generation"].GetInt64() : 0;
    auto [it, inserted] = generations.try_emplace(key, gen);
    if (inserted) return true;
    const bool changed = it->second != gen;
    it->second = gen;
    return changed;
  };
  std::string rv;
  bool synced = false;
  while (!stopping_) {
    try {
      if (rv.empty()) {
        // (Re)list: the starting resourceVersion, and changes missed while not watching.
        std::string body = client_->get(path);
        rapidjson::Document d;
        d.Parse(body.data(), body.size());
        bool changed = false;
        if (!d.HasParseError() && d.IsObject() && d.HasMember("items") && d["items"].IsArray())
          for (const auto& item : d["items"].GetArray()) changed = note(item) || changed;
        if (d.IsObject() && d.HasMember("metadata") && d["metadata"].IsObject() &&
            d["metadata"].HasMember("resourceVersion") &&
            d["metadata"]["resourceVersion"].IsString())
          rv = d["metadata"]["resourceVersion"].GetString();
        if (changed && synced) handler();
        synced = true;
      }
      rv = client_->watch(path, rv, std::chrono::seconds(300), &stopping_,
                          [&](std::string_view type, const std::string& object) {
                            rapidjson::Document o;
                            o.Parse(object.data(), object.size());
                            if (type == "DELETED") {
                              generations.erase(key_of(o));  // a deletion needs no pass
                            } else if ((type == "ADDED" || type == "MODIFIED") && note(o)) {
                              log::info("ImageUpdater changed: starting a pass");
                              handler();
                            }
                            return !stopping_.load();
                          });
    } catch (const std::exception& e) {
      const auto* api = dynamic_cast<const ApiError*>(&e);
      if (api == nullptr || api->status() != 410)
        log::warn(std::string("watching ImageUpdaters: ") + e.what());
      rv.clear();
      for (int i = 0; i < 20 && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace iu::kube
