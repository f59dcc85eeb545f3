#include "engine/source_select.hpp"

namespace iu::engine {
namespace {

bool supported(const std::string& t) { return t == "Helm" || t == "Kustomize" || t == "Plugin"; }

bool has_block(const config::ApplicationSource& s, const std::string& type) {
  return (type == "Helm" && s.has_helm) || (type == "Kustomize" && s.has_kustomize) ||
         (type == "Plugin" && s.has_plugin);
}

// The type the images' targets and the write-back target force, if any (§9.1).
std::string forced_type(const config::ManagedApplication& app) {
  const auto& wb = app.write_back;
  if (wb.target) {
    using K = config::WriteBackTarget::Kind;
    if (wb.target->kind == K::kKustomization) return "Kustomize";
    if (wb.target->kind == K::kHelmValues || wb.target->kind == K::kFile) return "Helm";
  }
  for (const auto& img : app.images) {
    if (img.target.kustomize) return "Kustomize";
    if (img.target.plugin) return "Plugin";
  }
  return {};
}

}  // namespace

std::optional<SelectedSource> select_source(const config::ManagedApplication& m, std::string* why) {
  const config::Application& app = *m.app;
  if (app.dry_source) {
    std::string t = forced_type(m);
    return SelectedSource{&*app.dry_source, t.empty() ? std::string("Helm") : t};
  }
  if (app.sources.empty()) {
    *why = "has no source";
    return std::nullopt;
  }
  std::string forced = forced_type(m);
  auto type_of = [&](size_t i) -> std::string {
    if (i < app.source_types.size()) return app.source_types[i];
    if (app.source_types.size() == 1 && !app.multi_source) return app.source_types[0];
    const auto& s = app.sources[i];
    if (s.has_helm || !s.chart.empty()) return "Helm";
    if (s.has_kustomize) return "Kustomize";
    if (s.has_plugin) return "Plugin";
    return {};
  };
  if (!app.multi_source) {
    std::string t = forced.empty() ? type_of(0) : forced;
    if (!supported(t)) {
      *why = "not of supported source type" + (t.empty() ? std::string() : " (" + t + ")");
      return std::nullopt;
    }
    // A Plugin app written with git uses the Helm layout unless an image has a plugin target.
    return SelectedSource{&app.sources[0], t};
  }
  // Multi-source: an explicit block of the needed type, else a supported reported type, else
  // any source of a supported type, else sources[0].
  if (!forced.empty())
    for (const auto& s : app.sources)
      if (has_block(s, forced)) return SelectedSource{&s, forced};
  for (size_t i = 0; i < app.sources.size(); ++i)
    if (i < app.source_types.size() && supported(app.source_types[i]) &&
        (forced.empty() || app.source_types[i] == forced))
      return SelectedSource{&app.sources[i], app.source_types[i]};
  for (size_t i = 0; i < app.sources.size(); ++i)
    if (supported(type_of(i))) return SelectedSource{&app.sources[i], forced.empty() ? type_of(i) : forced};
  if (!forced.empty()) return SelectedSource{&app.sources[0], forced};
  *why = "not of supported source type";
  return std::nullopt;
}

}  // namespace iu::engine
