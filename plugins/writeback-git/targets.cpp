#include "targets.hpp"

#include <optional>
#include <stdexcept>

namespace iu::gitwb {
namespace {

using iu::sdk::Error;

constexpr std::string_view kKustomization = "kustomization";
constexpr std::string_view kHelmValues = "helmvalues";

std::string joined(const Intent& in, const std::string& base, const std::string& rel) {
  try {
    return join_repo_path(base, rel);
  } catch (const std::invalid_argument& e) {
    throw Error(IU_STATUS_INVALID_ARGUMENT,
                "write_back_target: \"" + in.write_back_target + "\": " + e.what());
  }
}

std::string override_file_name(const Intent& in) {
  if (!in.app_namespace.empty() && in.app_namespace != in.argocd_namespace &&
      in.argocd_namespace != "default")
    return ".argocd-source-" + in.app_namespace + "_" + in.app_name + ".yaml";
  return ".argocd-source-" + in.app_name + ".yaml";
}

OverrideLayout layout_of_source(const Intent& in) {
  if (in.source_type == "Kustomize") return OverrideLayout::kKustomize;
  if (in.source_type == "Plugin") return OverrideLayout::kPlugin;
  if (in.source_type == "Helm" || in.source_type.empty()) return OverrideLayout::kHelm;
  throw Error(IU_STATUS_INVALID_ARGUMENT,
              "source_type: \"" + in.source_type + "\" is not supported (Helm, Kustomize, Plugin)");
}

}  // namespace

std::string join_repo_path(const std::string& base, const std::string& rel) {
  std::vector<std::string> parts;
  auto push = [&](const std::string& path) {
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      std::string seg = path.substr(start, end - start);
      if (seg == "..") {
        if (parts.empty())
          throw std::invalid_argument("path \"" + path + "\" leaves the repository");
        parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      start = end + 1;
    }
  };
  if (!rel.starts_with("/")) push(base);
  push(rel);
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

Target resolve_target(const Intent& in) {
  const std::string& wbt = in.write_back_target;
  const std::string& src = in.source_path;
  Target t;
  auto suffix = [&](std::string_view prefix) -> std::optional<std::string> {
    if (wbt == prefix) return std::string();
    if (wbt.size() > prefix.size() && wbt.starts_with(prefix) && wbt[prefix.size()] == ':')
      return wbt.substr(prefix.size() + 1);
    return std::nullopt;
  };
  if (wbt.empty()) {
    t.format = TargetFormat::kOverride;
    t.layout = layout_of_source(in);
    t.candidates = {joined(in, src, override_file_name(in))};
  } else if (auto dir = suffix(kKustomization)) {
    t.format = TargetFormat::kKustomize;
    t.layout = OverrideLayout::kKustomize;
    std::string base = joined(in, src, *dir);
    for (const char* name : {"kustomization.yaml", "kustomization.yml", "Kustomization"})
      t.candidates.push_back(joined(in, base, name));
  } else if (auto file = suffix(kHelmValues)) {
    t.format = TargetFormat::kHelmValues;
    t.layout = OverrideLayout::kHelm;
    t.candidates = {joined(in, src, file->empty() ? std::string("values.yaml") : *file)};
  } else {
    std::string path = joined(in, src, wbt);
    if (path == "kustomization.yaml" || path.ends_with("/kustomization.yaml"))
      throw Error(IU_STATUS_INVALID_ARGUMENT,
                  "write_back_target: \"" + wbt +
                      "\": a custom target must not be a kustomization.yaml (use "
                      "\"kustomization\" or \"kustomization:<dir>\")");
    t.format = TargetFormat::kOverride;
    t.layout = OverrideLayout::kHelm;  // a custom .yaml target forces Helm handling (§9.1)
    t.candidates = {path};
  }
  if (t.candidates.front().empty())
    throw Error(IU_STATUS_INVALID_ARGUMENT,
                "write_back_target: \"" + wbt + "\" does not name a file in the repository");
  return t;
}

OverrideLayout layout_for(const Target& target, const Change& change) {
  if (target.layout != OverrideLayout::kPlugin) return target.layout;
  bool plugin_target = change.target_key("plugin.spec") != nullptr ||
                       change.target_key("plugin.name") != nullptr ||
                       change.target_key("plugin.tag") != nullptr;
  return plugin_target ? OverrideLayout::kPlugin : OverrideLayout::kHelm;
}

}  // namespace iu::gitwb
