#include "config/settings_parse.hpp"

#include <algorithm>

#include "config/write_back.hpp"

namespace iu::config {
namespace {

using yaml::join;

std::string trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

template <class T>
std::optional<Setting<T>> setting(std::optional<T> value, std::string field) {
  if (!value) return std::nullopt;
  return Setting<T>{std::move(*value), std::move(field)};
}

std::optional<PullRequestSettings> read_pull_request(yaml::Reader& r, const YAML::Node& node,
                                                     const std::string& path) {
  if (!r.mapping(node, path, {"github", "gitlab", "labels"})) return std::nullopt;
  PullRequestSettings out;
  const bool github = !yaml::is_absent(yaml::Reader::child(node, "github"));
  const bool gitlab = !yaml::is_absent(yaml::Reader::child(node, "gitlab"));
  if (github == gitlab) {
    r.error(path, github ? "exactly one of github or gitlab must be set, found both"
                         : "exactly one of github or gitlab must be set");
  }
  out.provider =
      gitlab ? PullRequestSettings::Provider::kGitLab : PullRequestSettings::Provider::kGitHub;
  // Both providers take an empty object: every key in them is unknown.
  r.mapping(yaml::Reader::child(node, "github"), join(path, "github"), {"__none__"});
  r.mapping(yaml::Reader::child(node, "gitlab"), join(path, "gitlab"), {"__none__"});
  if (auto labels = r.strings(node, path, "labels")) {
    const std::string lpath = join(path, "labels");
    if (labels->size() > 100)
      r.error(lpath, "at most 100 labels are allowed, found " + std::to_string(labels->size()));
    for (std::size_t i = 0; i < labels->size(); ++i) {
      std::string label = trim((*labels)[i]);
      if (label.empty() || label.size() > 255) {
        r.error(yaml::index(lpath, i), "a label must be 1-255 characters once trimmed, found " +
                                           std::to_string(label.size()));
        continue;
      }
      if (std::find(out.labels.begin(), out.labels.end(), label) == out.labels.end())
        out.labels.push_back(std::move(label));
    }
  }
  return out;
}

std::optional<std::string> non_empty(yaml::Reader& r, const YAML::Node& node,
                                     const std::string& path, std::string_view key) {
  auto value = r.string(node, path, key);
  if (value && value->empty()) {
    r.error(join(path, key), "must not be empty");
    return std::nullopt;
  }
  return value;
}

// manifestTargets.plugin fields name environment variables: 1-253 characters.
std::optional<std::string> plugin_field(yaml::Reader& r, const YAML::Node& node,
                                        const std::string& path, std::string_view key) {
  auto value = r.string(node, path, key);
  if (value && (value->empty() || value->size() > 253)) {
    r.error(join(path, key), "must be 1-253 characters, found " + std::to_string(value->size()));
    return std::nullopt;
  }
  return value;
}

}  // namespace

UpdateSettings read_update_settings(yaml::Reader& r, const YAML::Node& parent,
                                    std::string_view parent_path) {
  UpdateSettings out;
  const std::string path = join(parent_path, "commonUpdateSettings");
  const YAML::Node node = yaml::Reader::child(parent, "commonUpdateSettings");
  if (!r.mapping(
          node, path,
          {"updateStrategy", "forceUpdate", "allowTags", "ignoreTags", "pullSecret", "platforms"}))
    return out;
  out.update_strategy =
      setting(r.string(node, path, "updateStrategy"), join(path, "updateStrategy"));
  if (auto force = r.boolean(node, path, "forceUpdate"))
    out.force_update = Setting<std::string>{*force ? "true" : "false", join(path, "forceUpdate")};
  out.allow_tags = setting(r.string(node, path, "allowTags"), join(path, "allowTags"));
  out.ignore_tags = setting(r.strings(node, path, "ignoreTags"), join(path, "ignoreTags"));
  out.pull_secret = setting(r.string(node, path, "pullSecret"), join(path, "pullSecret"));
  out.platforms = setting(r.strings(node, path, "platforms"), join(path, "platforms"));
  return out;
}

WriteBackSettings read_write_back(yaml::Reader& r, const YAML::Node& parent,
                                  std::string_view parent_path) {
  WriteBackSettings out;
  const std::string path = join(parent_path, "writeBackConfig");
  const YAML::Node node = yaml::Reader::child(parent, "writeBackConfig");
  if (!r.mapping(node, path, {"method", "gitConfig"})) return out;
  out.method = setting(r.string(node, path, "method"), join(path, "method"));
  const std::string git_path = join(path, "gitConfig");
  const YAML::Node git = yaml::Reader::child(node, "gitConfig");
  if (r.mapping(git, git_path, {"repository", "branch", "writeBackTarget", "pullRequest"})) {
    out.repository = setting(r.string(git, git_path, "repository"), join(git_path, "repository"));
    out.branch = setting(r.string(git, git_path, "branch"), join(git_path, "branch"));
    out.write_back_target =
        setting(r.string(git, git_path, "writeBackTarget"), join(git_path, "writeBackTarget"));
    const std::string pr_path = join(git_path, "pullRequest");
    out.pull_request =
        setting(read_pull_request(r, yaml::Reader::child(git, "pullRequest"), pr_path), pr_path);
  }
  // Syntax of this layer's own values (errors name the field they were read from).
  std::vector<ConfigIssue> problems;
  build_write_back(out, r.object(), Scope::kUpdater, &problems);
  for (ConfigIssue& p : problems) r.error(std::move(p.field_path), std::move(p.message));
  return out;
}

VerificationSettings read_verification(yaml::Reader& r, const YAML::Node& parent,
                                       std::string_view parent_path) {
  VerificationSettings out;
  const std::string path = join(parent_path, "imagesVerification");
  const YAML::Node node = yaml::Reader::child(parent, "imagesVerification");
  if (!r.mapping(node, path, {"enabled", "cosignKey"})) return out;
  if (auto enabled = r.boolean(node, path, "enabled"))
    out.enabled = Setting<bool>{*enabled, join(path, "enabled")};
  else
    out.enabled = Setting<bool>{true, path};  // the block's presence enables verification
  const std::string key_path = join(path, "cosignKey");
  const YAML::Node key = yaml::Reader::child(node, "cosignKey");
  if (r.mapping(key, key_path, {"secretName", "key"})) {
    auto secret = non_empty(r, key, key_path, "secretName");
    auto field = non_empty(r, key, key_path, "key");
    if (!secret && yaml::is_absent(yaml::Reader::child(key, "secretName")))
      r.error(join(key_path, "secretName"), "required");
    if (!field && yaml::is_absent(yaml::Reader::child(key, "key")))
      r.error(join(key_path, "key"), "required");
    if (secret && field) out.cosign_key = Setting<CosignKey>{{*secret, *field}, key_path};
  }
  return out;
}

ImageTarget read_manifest_targets(yaml::Reader& r, const YAML::Node& parent,
                                  std::string_view parent_path) {
  ImageTarget out;
  const std::string path = join(parent_path, "manifestTargets");
  const YAML::Node node = yaml::Reader::child(parent, "manifestTargets");
  if (!r.mapping(node, path, {"helm", "kustomize", "plugin"})) return out;
  std::string found;
  for (const char* kind : {"helm", "kustomize", "plugin"})
    if (!yaml::is_absent(yaml::Reader::child(node, kind)))
      found += (found.empty() ? "" : ", ") + std::string(kind);
  if (found.empty() || found.find(',') != std::string::npos)
    r.error(path, "exactly one of helm, kustomize or plugin must be set" +
                      (found.empty() ? std::string() : ", found " + found));

  const std::string helm_path = join(path, "helm");
  const YAML::Node helm = yaml::Reader::child(node, "helm");
  if (r.mapping(helm, helm_path, {"name", "tag", "spec"})) {
    HelmTarget target;
    if (auto v = non_empty(r, helm, helm_path, "name")) target.name = *v;
    if (auto v = non_empty(r, helm, helm_path, "tag")) target.tag = *v;
    if (auto v = non_empty(r, helm, helm_path, "spec")) target.spec = *v;
    out.helm = std::move(target);
  }
  const std::string kustomize_path = join(path, "kustomize");
  const YAML::Node kustomize = yaml::Reader::child(node, "kustomize");
  if (r.mapping(kustomize, kustomize_path, {"name"})) {
    auto name = non_empty(r, kustomize, kustomize_path, "name");
    if (!name && yaml::is_absent(yaml::Reader::child(kustomize, "name")))
      r.error(join(kustomize_path, "name"), "required");
    out.kustomize = KustomizeTarget{name.value_or("")};
  }
  const std::string plugin_path = join(path, "plugin");
  const YAML::Node plugin = yaml::Reader::child(node, "plugin");
  if (r.mapping(plugin, plugin_path, {"name", "tag", "spec"})) {
    PluginTarget target;
    target.name = plugin_field(r, plugin, plugin_path, "name").value_or("");
    target.tag = plugin_field(r, plugin, plugin_path, "tag").value_or("");
    target.spec = plugin_field(r, plugin, plugin_path, "spec").value_or("");
    if (yaml::is_absent(yaml::Reader::child(plugin, "name")) &&
        yaml::is_absent(yaml::Reader::child(plugin, "spec")))
      r.error(plugin_path, "one of spec or name must be set");
    out.plugin = std::move(target);
  }
  return out;
}

}  // namespace iu::config
