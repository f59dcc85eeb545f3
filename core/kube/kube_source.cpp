#include "kube/kube_source.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "config/objects.hpp"
#include "config/write_back.hpp"
#include "log/log.hpp"

namespace iu::kube {
namespace {

constexpr std::string_view kAppGV = "argoproj.io/v1alpha1";

std::string member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject() || !obj.HasMember(key) || !obj[key].IsString()) return {};
  return obj[key].GetString();
}

// uid, resourceVersion and the status of an item, plus its namespace and name.
struct ItemFacts {
  std::string ns, name;
  ObjectInfo info;
};

ItemFacts facts(const std::string& json) {
  ItemFacts f;
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return f;
  if (d.HasMember("metadata")) {
    const auto& m = d["metadata"];
    f.ns = member(m, "namespace");
    f.name = member(m, "name");
    f.info.uid = member(m, "uid");
    f.info.resource_version = member(m, "resourceVersion");
  }
  if (d.HasMember("status") && d["status"].IsObject()) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    d["status"].Accept(w);
    f.info.status_json.assign(buf.GetString(), buf.GetSize());
  }
  return f;
}

// Items of `plural` in every watched namespace (or cluster-wide).
std::vector<std::string> list_all(const Client& client, std::string_view gv,
                                  std::string_view plural,
                                  const std::vector<std::string>& namespaces,
                                  const ListOptions& o) {
  if (namespaces.empty()) return client.list(resource_path(gv, plural), o);
  std::vector<std::string> out;
  for (const auto& ns : namespaces) {
    auto items = client.list(resource_path(gv, plural, ns), o);
    out.insert(out.end(), std::make_move_iterator(items.begin()),
               std::make_move_iterator(items.end()));
  }
  return out;
}

YAML::Node to_node(const std::string& json, const char* api_version, const char* kind) {
  YAML::Node node = YAML::Load(json);
  if (!node["kind"]) node["kind"] = kind;
  if (!node["apiVersion"]) node["apiVersion"] = api_version;
  return node;
}

template <class T>
void sort_by_identity(std::vector<T>& objects) {
  std::stable_sort(objects.begin(), objects.end(), [](const T& a, const T& b) {
    return std::tie(a.ref.ns, a.ref.name) < std::tie(b.ref.ns, b.ref.name);
  });
}

// `git:secret:[ns/]name` methods of the CRs and of the apps' write-back-method annotations:
// those Secrets are read one by one (listing every Secret of a namespace would need more
// access than the updater should have). Without a namespace the Secret may live in the CR's
// namespace (CR) or the Argo CD namespace (annotations), so both are tried.
std::set<std::pair<std::string, std::string>> git_secret_refs(const config::Snapshot& snap,
                                                              const std::string& argocd_ns) {
  std::set<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& text, const std::vector<std::string>& default_ns) {
    auto m = config::parse_write_back_method(text);
    if (!m || m->plugin != "git" ||
        m->git_credentials != config::WriteBackMethod::GitCredentials::kSecret)
      return;
    if (!m->secret_namespace.empty()) {
      out.insert({m->secret_namespace, m->secret_name});
    } else {
      for (const auto& ns : default_ns) out.insert({ns, m->secret_name});
    }
  };
  for (const auto& cr : snap.updaters) {
    if (cr.write_back.method) add(cr.write_back.method->value, {cr.ref.ns});
    for (const auto& ref : cr.application_refs)
      if (ref.write_back.method) add(ref.write_back.method->value, {cr.ref.ns});
  }
  const std::string key = std::string(config::kAnnotationPrefix) + "write-back-method";
  for (const auto& app : snap.applications)
    if (auto it = app.annotations.find(key); it != app.annotations.end())
      add(it->second, {argocd_ns, app.ref.ns});
  return out;
}

}  // namespace

std::string object_key(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string k(kind);
  k.append("/").append(ns).append("/").append(name);
  return k;
}

std::vector<std::string> parse_watch_namespaces(const std::string& flag, const std::string& own) {
  std::string f = flag;
  while (!f.empty() && f.back() == ' ') f.pop_back();
  while (!f.empty() && f.front() == ' ') f.erase(f.begin());
  if (f.empty()) return {own};
  if (f == "*") return {};
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::size_t start = 0;
  while (start <= f.size()) {
    std::size_t comma = f.find(',', start);
    std::string item =
        f.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    if (!item.empty() && seen.insert(item).second) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

KubeSnapshot load_snapshot(const Client& client, const SourceOptions& options) {
  KubeSnapshot out;
  config::Snapshot& snap = out.snapshot;
  config::ParseOptions po;
  po.default_namespace = options.argocd_namespace;
  po.strict = false;
  po.keep_document = false;

  if (options.kind == config::SourceKind::kCrd) {
    for (const std::string& json :
         list_all(client, kImageUpdaterGV, "imageupdaters", options.namespaces, {})) {
      ItemFacts f = facts(json);
      YAML::Node node;
      try {
        node = to_node(json, "argocd-image-updater.argoproj.io/v1alpha1", "ImageUpdater");
      } catch (const YAML::Exception& e) {
        config::ObjectRef ref{"ImageUpdater", f.ns, f.name};
        snap.issues.push_back(
            config::make_issue(config::Scope::kSource, ref, {}, "unreadable object: " + e.msg));
        continue;
      }
      if (auto cr = config::parse_image_updater(node, po, &snap.issues)) {
        out.objects[object_key("ImageUpdater", cr->ref.ns, cr->ref.name)] = f.info;
        snap.updaters.push_back(std::move(*cr));
      }
    }
  }

  ListOptions app_list;
  if (options.kind == config::SourceKind::kAnnotations)
    app_list.label_selector = options.application_label_selector;
  for (const std::string& json :
       list_all(client, kAppGV, "applications", options.namespaces, app_list)) {
    ItemFacts f = facts(json);
    YAML::Node node;
    try {
      node = to_node(json, "argoproj.io/v1alpha1", "Application");
    } catch (const YAML::Exception& e) {
      config::ObjectRef ref{"Application", f.ns, f.name};
      snap.issues.push_back(
          config::make_issue(config::Scope::kSource, ref, {}, "unreadable object: " + e.msg));
      continue;
    }
    if (auto app = config::parse_application(node, po, &snap.issues)) {
      out.objects[object_key("Application", app->ref.ns, app->ref.name)] = f.info;
      snap.applications.push_back(std::move(*app));
    }
  }

  // Argo CD repository credentials (git write-back).
  try {
    ListOptions so;
    so.label_selector = "argocd.argoproj.io/secret-type";
    for (const std::string& json :
         client.list(resource_path("v1", "secrets", options.argocd_namespace), so)) {
      if (auto s = config::parse_secret(YAML::Load(json), po, &snap.issues))
        snap.secrets.push_back(std::move(*s));
    }
  } catch (const ApiError& e) {
    log::warn(std::string("cannot list Argo CD repository secrets (git write-back credentials): ") +
              e.what());
  }

  for (const auto& [ns, name] : git_secret_refs(snap, options.argocd_namespace)) {
    if (snap.find_secret(ns, name) != nullptr) continue;
    try {
      if (auto json = client.get_if_exists(resource_path("v1", "secrets", ns, name)))
        if (auto s = config::parse_secret(YAML::Load(*json), po, &snap.issues))
          snap.secrets.push_back(std::move(*s));
    } catch (const ApiError& e) {
      log::warn("cannot read Secret " + ns + "/" + name +
                " (git write-back credentials): " + e.what());
    }
  }

  sort_by_identity(snap.updaters);
  sort_by_identity(snap.applications);
  sort_by_identity(snap.secrets);
  return out;
}

}  // namespace iu::kube
