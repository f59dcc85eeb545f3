#include "engine/live_versions.hpp"

namespace iu::engine {
namespace {

// A live reference made of the configured name and a found tag/digest.
std::optional<model::ImageRef> with_version(const config::ImageConfig& img, std::string tag,
                                            std::string digest) {
  if (tag.empty() && digest.empty()) return std::nullopt;
  model::ImageRef live = img.ref;
  live.version = std::move(tag);
  live.digest = std::move(digest);
  return live;
}

// "tag[@digest]" split.
std::pair<std::string, std::string> split_version(const std::string& v) {
  size_t at = v.find('@');
  if (at == std::string::npos) return {v, {}};
  return {v.substr(0, at), v.substr(at + 1)};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> target_settings(const config::ImageConfig& img) {
  std::vector<std::pair<std::string, std::string>> t;
  if (img.target.helm) {
    t.emplace_back("helm.name", img.target.helm->name);
    t.emplace_back("helm.tag", img.target.helm->tag);
    if (!img.target.helm->spec.empty()) t.emplace_back("helm.spec", img.target.helm->spec);
  }
  if (img.target.kustomize) t.emplace_back("kustomize.name", img.target.kustomize->name);
  if (img.target.plugin) {
    if (!img.target.plugin->name.empty()) t.emplace_back("plugin.name", img.target.plugin->name);
    if (!img.target.plugin->tag.empty()) t.emplace_back("plugin.tag", img.target.plugin->tag);
    if (!img.target.plugin->spec.empty()) t.emplace_back("plugin.spec", img.target.plugin->spec);
  }
  return t;
}

std::vector<std::optional<model::ImageRef>> live_from_status(const config::ManagedApplication& app) {
  std::vector<std::optional<model::ImageRef>> out;
  for (const auto& img : app.images) {
    std::optional<model::ImageRef> found;
    for (const auto& text : app.app->live_images) {
      auto live = model::parse_reference(text);
      if (live && model::same_image(img.ref, *live)) {
        found = live;
        break;
      }
    }
    out.push_back(std::move(found));
  }
  return out;
}

std::vector<std::optional<model::ImageRef>> live_from_source(const config::ManagedApplication& app,
                                                             const config::ApplicationSource& src,
                                                             const std::string& type) {
  std::vector<std::optional<model::ImageRef>> out;
  for (const auto& img : app.images) {
    std::optional<model::ImageRef> found;
    if (type == "Kustomize") {
      // `[<name>=]<name>:<tag>[@digest]`: the key is the text before `=`, else the name.
      std::string key = img.target.kustomize ? img.target.kustomize->name : model::full_name(img.ref);
      for (const auto& entry : src.kustomize_images) {
        size_t eq = entry.find('=');
        std::string value = eq == std::string::npos ? entry : entry.substr(eq + 1);
        auto ref = model::parse_reference(value);
        if (!ref) continue;
        std::string entry_key = eq == std::string::npos ? model::full_name(*ref) : entry.substr(0, eq);
        if (entry_key == key || model::same_image(img.ref, *ref)) {
          found = with_version(img, ref->version, ref->digest);
          break;
        }
      }
    } else if (type == "Plugin" && img.target.plugin) {
      const auto& pt = *img.target.plugin;
      for (const auto& e : src.plugin_env) {
        if (!pt.spec.empty() && e.name == pt.spec) {
          if (auto ref = model::parse_reference(e.value)) found = with_version(img, ref->version, ref->digest);
        } else if (pt.spec.empty() && e.name == pt.tag) {
          auto [t, d] = split_version(e.value);
          found = with_version(img, t, d);
        }
      }
    } else {
      config::HelmTarget ht = img.target.helm.value_or(config::HelmTarget{});
      for (const auto& p : src.helm_parameters) {
        if (!ht.spec.empty() && p.name == ht.spec) {
          if (auto ref = model::parse_reference(p.value)) found = with_version(img, ref->version, ref->digest);
        } else if (ht.spec.empty() && p.name == ht.tag) {
          auto [t, d] = split_version(p.value);
          found = with_version(img, t, d);
        }
      }
    }
    out.push_back(std::move(found));
  }
  return out;
}

std::vector<std::optional<model::ImageRef>> live_from_target(
    const config::ManagedApplication& app, const plugin_host::WritebackInstance& writeback,
    const WriteIntent& probe) {
  auto current = writeback.read_current(probe.view());
  std::vector<std::optional<model::ImageRef>> out;
  for (size_t i = 0; i < app.images.size(); ++i) {
    if (i < current.size() && current[i]) {
      out.push_back(with_version(app.images[i], current[i]->tag, current[i]->digest));
    } else {
      out.emplace_back();
    }
  }
  return out;
}

}  // namespace iu::engine
