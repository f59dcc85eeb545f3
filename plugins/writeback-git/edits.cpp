#include "edits.hpp"

#include <map>
#include <optional>

#include "image_name.hpp"
#include "iu/yamledit/helm_values.hpp"
#include "iu/yamledit/kustomize.hpp"
#include "iu/yamledit/override_file.hpp"

namespace iu::gitwb {
namespace {

namespace ye = iu::yamledit;

// Helm parameter names of a change: spec alone, or name and tag (upstream defaults image.name
// and image.tag when the image does not name them).
struct HelmKeys {
  std::string spec, name, tag;
};

HelmKeys helm_keys(const Change& c) {
  HelmKeys k;
  if (const std::string* spec = c.target_key("helm.spec")) {
    k.spec = *spec;
    return k;
  }
  const std::string* name = c.target_key("helm.name");
  const std::string* tag = c.target_key("helm.tag");
  k.name = name != nullptr ? *name : "image.name";
  k.tag = tag != nullptr ? *tag : "image.tag";
  return k;
}

std::string kustomize_selector(const Change& c) {
  const std::string* k = c.target_key("kustomize.name");
  return k != nullptr ? *k : c.image_name;
}

bool spec_satisfied(const std::optional<std::string>& current, const Change& c) {
  if (!current) return false;
  SplitReference ref = split_reference(*current);
  return same_image(ref.name, c.image_name) && ref.tag == c.new_tag && ref.digest == c.new_digest;
}

bool apply_helm_values(ye::Document& doc, const Change& c) {
  HelmKeys k = helm_keys(c);
  if (!k.spec.empty()) {
    if (spec_satisfied(ye::get_helm_value(doc, k.spec), c)) return false;
    return ye::set_helm_value(doc, k.spec, c.spec_value());
  }
  bool changed = false;
  std::optional<std::string> name = ye::get_helm_value(doc, k.name);
  // An equivalent spelling of the name (docker.io/nginx for nginx) is left as it is (§9.5).
  if (!name || !same_image(*name, c.image_name))
    changed |= ye::set_helm_value(doc, k.name, c.image_name);
  changed |= ye::set_helm_value(doc, k.tag, c.tag_value());
  return changed;
}

bool apply_kustomization(ye::Document& doc, const Change& c) {
  ye::KustomizeImage image;
  image.name = kustomize_selector(c);
  if (image.name != c.image_name) image.new_name = c.image_name;
  image.new_tag = c.new_tag;
  image.digest = c.new_digest;
  return ye::set_kustomize_image(doc, image);
}

// All override-file entries of `changes`, written with one call per section so that a new file
// gets its entries sorted by name.
bool apply_override(ye::Document& doc, const Target& t, const std::vector<const Change*>& changes) {
  std::vector<ye::HelmParameter> helm;
  std::vector<std::string> images;
  std::vector<ye::PluginEnv> env;
  for (const Change* c : changes) {
    switch (layout_for(t, *c)) {
      case OverrideLayout::kHelm: {
        HelmKeys k = helm_keys(*c);
        if (!k.spec.empty()) {
          helm.push_back({k.spec, c->spec_value(), true});
        } else {
          helm.push_back({k.name, c->image_name, true});
          helm.push_back({k.tag, c->tag_value(), true});
        }
        break;
      }
      case OverrideLayout::kKustomize: {
        std::string selector = kustomize_selector(*c);
        std::string prefix = selector != c->image_name ? selector + "=" : std::string();
        images.push_back(prefix + c->spec_value());
        break;
      }
      case OverrideLayout::kPlugin:
        if (const std::string* spec = c->target_key("plugin.spec")) {
          env.push_back({*spec, c->spec_value()});
        } else {
          if (const std::string* n = c->target_key("plugin.name"))
            env.push_back({*n, c->image_name});
          if (const std::string* g = c->target_key("plugin.tag"))
            env.push_back({*g, c->tag_value()});
        }
        break;
    }
  }
  bool changed = false;
  if (!helm.empty()) changed |= ye::set_override_helm_parameters(doc, std::move(helm));
  if (!images.empty()) changed |= ye::set_override_kustomize_images(doc, std::move(images));
  if (!env.empty()) changed |= ye::set_override_plugin_env(doc, std::move(env));
  return changed;
}

bool apply_one(ye::Document& doc, const Target& t, const Change& c) {
  switch (t.format) {
    case TargetFormat::kHelmValues:
      return apply_helm_values(doc, c);
    case TargetFormat::kKustomize:
      return apply_kustomization(doc, c);
    case TargetFormat::kOverride:
      return apply_override(doc, t, {&c});
  }
  return false;
}

// name -> value of the mapping entries of the list at `list` (first entry wins).
std::map<std::string, std::string> named_values(const ye::Document& doc, const ye::Path& list) {
  std::map<std::string, std::string> out;
  auto type = doc.type_at(list);
  if (!type || *type != ye::NodeType::kSequence) return out;
  for (size_t i = 0; i < doc.list_size(list); ++i) {
    ye::Path entry = list.index(i);
    if (doc.type_at(entry) != ye::NodeType::kMapping) continue;
    auto name = doc.get_scalar(entry.key("name"));
    auto value = doc.get_scalar(entry.key("value"));
    if (name && value) out.emplace(*name, *value);
  }
  return out;
}

CurrentEntry from_tag(std::string name, const std::string& tag_value) {
  CurrentEntry e;
  e.image_name = std::move(name);
  size_t at = tag_value.find('@');
  e.tag = tag_value.substr(0, at);
  if (at != std::string::npos) e.digest = tag_value.substr(at + 1);
  return e;
}

CurrentEntry from_spec(const std::string& spec) {
  SplitReference r = split_reference(spec);
  return CurrentEntry{r.name, r.tag, r.digest};
}

std::optional<CurrentEntry> read_helm(const std::map<std::string, std::string>& values,
                                      const Change& c) {
  HelmKeys k = helm_keys(c);
  if (!k.spec.empty()) {
    auto it = values.find(k.spec);
    if (it == values.end()) return std::nullopt;
    return from_spec(it->second);
  }
  auto tag = values.find(k.tag);
  if (tag == values.end()) return std::nullopt;
  auto name = values.find(k.name);
  return from_tag(name == values.end() ? std::string() : name->second, tag->second);
}

std::optional<CurrentEntry> read_kustomization(const ye::Document& doc, const Change& c) {
  const ye::Path list{"images"};
  auto type = doc.type_at(list);
  if (!type || *type != ye::NodeType::kSequence) return std::nullopt;
  std::string selector = kustomize_selector(c);
  for (size_t i = 0; i < doc.list_size(list); ++i) {
    ye::Path entry = list.index(i);
    if (doc.type_at(entry) != ye::NodeType::kMapping) continue;
    if (doc.get_scalar(entry.key("name")) != selector) continue;
    CurrentEntry e;
    e.image_name = doc.get_scalar(entry.key("newName")).value_or(selector);
    e.tag = doc.get_scalar(entry.key("newTag")).value_or("");
    e.digest = doc.get_scalar(entry.key("digest")).value_or("");
    return e;
  }
  return std::nullopt;
}

std::optional<CurrentEntry> read_override_images(const ye::Document& doc, const Change& c) {
  const ye::Path list{"kustomize", "images"};
  auto type = doc.type_at(list);
  if (!type || *type != ye::NodeType::kSequence) return std::nullopt;
  std::string selector = kustomize_selector(c);
  for (size_t i = 0; i < doc.list_size(list); ++i) {
    ye::Path entry = list.index(i);
    if (doc.type_at(entry) != ye::NodeType::kScalar) continue;
    std::string value = doc.get_scalar(entry).value_or("");
    if (ye::kustomize_image_key(value) != selector) continue;
    if (size_t eq = value.find('='); eq != std::string::npos) value = value.substr(eq + 1);
    return from_spec(value);
  }
  return std::nullopt;
}

std::optional<CurrentEntry> read_plugin(const std::map<std::string, std::string>& env,
                                        const Change& c) {
  if (const std::string* spec = c.target_key("plugin.spec")) {
    auto it = env.find(*spec);
    if (it == env.end()) return std::nullopt;
    return from_spec(it->second);
  }
  const std::string* tag = c.target_key("plugin.tag");
  auto t = tag != nullptr ? env.find(*tag) : env.end();
  if (t == env.end()) return std::nullopt;
  const std::string* name = c.target_key("plugin.name");
  auto n = name != nullptr ? env.find(*name) : env.end();
  return from_tag(n == env.end() ? std::string() : n->second, t->second);
}

}  // namespace

uint64_t apply_changes(ye::Document& doc, const Target& target, const Intent& intent) {
  // Count the changes that are not yet satisfied, each tried on its own copy.
  uint64_t pending = 0;
  for (const Change& c : intent.changes) {
    ye::Document trial = doc;
    if (apply_one(trial, target, c)) ++pending;
  }
  if (pending == 0) return 0;
  ye::Document work = doc;
  if (target.format == TargetFormat::kOverride) {
    std::vector<const Change*> all;
    for (const Change& c : intent.changes) all.push_back(&c);
    apply_override(work, target, all);
  } else {
    for (const Change& c : intent.changes) apply_one(work, target, c);
  }
  doc = std::move(work);
  return pending;
}

std::vector<std::pair<uint64_t, CurrentEntry>> read_entries(const ye::Document& doc,
                                                            const Target& target,
                                                            const Intent& intent) {
  std::vector<std::pair<uint64_t, CurrentEntry>> out;
  std::map<std::string, std::string> params, env;
  if (target.format == TargetFormat::kOverride) {
    params = named_values(doc, ye::Path{"helm", "parameters"});
    env = named_values(doc, ye::Path{"plugin", "env"});
  }
  for (uint64_t i = 0; i < intent.changes.size(); ++i) {
    const Change& c = intent.changes[i];
    std::optional<CurrentEntry> e;
    if (target.format == TargetFormat::kHelmValues) {
      HelmKeys k = helm_keys(c);
      std::map<std::string, std::string> values;
      for (const std::string& key : {k.spec, k.name, k.tag})
        if (!key.empty())
          if (auto v = ye::get_helm_value(doc, key)) values.emplace(key, *v);
      e = read_helm(values, c);
    } else if (target.format == TargetFormat::kKustomize) {
      e = read_kustomization(doc, c);
    } else {
      switch (layout_for(target, c)) {
        case OverrideLayout::kHelm:
          e = read_helm(params, c);
          break;
        case OverrideLayout::kKustomize:
          e = read_override_images(doc, c);
          break;
        case OverrideLayout::kPlugin:
          e = read_plugin(env, c);
          break;
      }
    }
    if (e) out.emplace_back(i, std::move(*e));
  }
  return out;
}

}  // namespace iu::gitwb
