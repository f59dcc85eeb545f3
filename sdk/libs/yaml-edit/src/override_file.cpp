#include "iu/yamledit/override_file.hpp"

#include <algorithm>

#include "text.hpp"

namespace iu::yamledit {
namespace {

// Runs `edit` on a copy of `doc` (a fresh empty document when the text is only whitespace, so a
// new file gets exactly the generated layout) and commits it when something changed.
template <typename Edit>
bool edit_override(Document& doc, Edit edit) {
  bool fresh = detail::only_whitespace(doc.text()) && !doc.text().empty();
  Document work = fresh ? Document::parse("") : doc;
  bool changed = edit(work);
  if (!changed && !fresh) return false;
  doc = std::move(work);
  return true;
}

template <typename T, typename Key>
void sort_by(std::vector<T>& v, Key key) {
  std::stable_sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

}  // namespace

bool set_override_helm_parameters(Document& doc, std::vector<HelmParameter> parameters) {
  sort_by(parameters, [](const HelmParameter& p) { return p.name; });
  return edit_override(doc, [&](Document& work) {
    bool changed = false;
    for (const HelmParameter& p : parameters) {
      std::vector<Field> fields{{"name", Value(p.name)}, {"value", Value(p.value)}};
      if (p.force_string) fields.push_back({"forcestring", Value::literal("true")});
      changed |=
          work.upsert_entry(Path{"helm", "parameters"}, "name", p.name, fields, Missing::kCreate);
    }
    return changed;
  });
}

std::string kustomize_image_key(std::string_view image) {
  if (std::size_t eq = image.find('='); eq != std::string_view::npos) {
    return std::string(image.substr(0, eq));
  }
  image = image.substr(0, image.find('@'));
  std::size_t colon = image.rfind(':');
  std::size_t slash = image.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    image = image.substr(0, colon);
  }
  return std::string(image);
}

bool set_override_kustomize_images(Document& doc, std::vector<std::string> images) {
  sort_by(images, [](const std::string& i) { return kustomize_image_key(i); });
  return edit_override(doc, [&](Document& work) {
    bool changed = false;
    for (const std::string& image : images) {
      const std::string key = kustomize_image_key(image);
      changed |= work.upsert_scalar_entry(
          Path{"kustomize", "images"},
          [&](std::string_view existing) { return kustomize_image_key(existing) == key; },
          Value(image), Missing::kCreate);
    }
    return changed;
  });
}

bool set_override_plugin_env(Document& doc, std::vector<PluginEnv> env) {
  sort_by(env, [](const PluginEnv& e) { return e.name; });
  return edit_override(doc, [&](Document& work) {
    bool changed = false;
    for (const PluginEnv& e : env) {
      changed |=
          work.upsert_entry(Path{"plugin", "env"}, "name", e.name,
                            {{"name", Value(e.name)}, {"value", Value(e.value)}}, Missing::kCreate);
    }
    return changed;
  });
}

}  // namespace iu::yamledit
