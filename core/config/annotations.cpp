#include "config/annotations.hpp"

#include <algorithm>
#include <set>

#include "config/resolve.hpp"

namespace iu::config {
namespace {

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// Comma-separated list: items trimmed, empty items dropped.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t comma = text.find(',');
    if (std::string_view item = trim(text.substr(0, comma)); !item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) return out;
    text.remove_prefix(comma + 1);
  }
}

class AnnotationReader {
 public:
  explicit AnnotationReader(const Application& app) : app_(app) {}

  const std::string* find(const std::string& key) const {
    const auto it = app_.annotations.find(key);
    return it == app_.annotations.end() ? nullptr : &it->second;
  }

  std::optional<Setting<std::string>> text(std::string_view alias, std::string_view setting) const {
    const std::string key = annotation_key(alias, setting);
    const std::string* value = find(key);
    if (value == nullptr) return std::nullopt;
    return Setting<std::string>{*value, annotation_field(key)};
  }

  std::optional<Setting<std::vector<std::string>>> list(std::string_view alias,
                                                        std::string_view setting) const {
    auto value = text(alias, setting);
    if (!value) return std::nullopt;
    return Setting<std::vector<std::string>>{split_list(value->value), value->field};
  }

  // The update settings of one layer: app-wide (empty alias) or one image's.
  UpdateSettings settings(std::string_view alias, std::vector<ConfigIssue>& issues,
                          bool& ok) const {
    UpdateSettings out;
    out.update_strategy = text(alias, "update-strategy");
    out.force_update = text(alias, "force-update");
    out.allow_tags = text(alias, "allow-tags");
    out.ignore_tags = list(alias, "ignore-tags");
    out.pull_secret = text(alias, "pull-secret");
    if (alias.empty()) return out;  // no app-wide platforms or tag-match
    out.platforms = list(alias, "platforms");
    if (auto tag_match = text(alias, "tag-match")) {
      if (out.allow_tags) {
        ok = false;
        issues.push_back(make_issue(Scope::kImage, app_.ref, tag_match->field,
                                    "cannot be combined with " + out.allow_tags->field +
                                        " (tag-match is the deprecated name of allow-tags)"));
      } else {
        issues.push_back(make_issue(Scope::kImage, app_.ref, tag_match->field,
                                    "deprecated: use " + annotation_key(alias, "allow-tags"),
                                    Severity::kWarning));
        out.allow_tags = std::move(tag_match);
      }
    }
    return out;
  }

  ImageTarget target(std::string_view alias) const {
    ImageTarget out;
    if (alias.empty()) return out;
    const auto non_empty = [&](std::string_view setting) -> std::optional<std::string> {
      auto value = text(alias, setting);
      if (!value || trim(value->value).empty()) return std::nullopt;
      return std::string(trim(value->value));
    };
    auto helm_name = non_empty("helm.image-name");
    auto helm_tag = non_empty("helm.image-tag");
    auto helm_spec = non_empty("helm.image-spec");
    if (helm_name || helm_tag || helm_spec) {
      HelmTarget helm;
      if (helm_name) helm.name = *helm_name;
      if (helm_tag) helm.tag = *helm_tag;
      if (helm_spec) helm.spec = *helm_spec;
      out.helm = std::move(helm);
    }
    if (auto kustomize = non_empty("kustomize.image-name"))
      out.kustomize = KustomizeTarget{*kustomize};
    return out;
  }

 private:
  const Application& app_;
};

}  // namespace

std::string annotation_key(std::string_view alias, std::string_view setting) {
  std::string key(kAnnotationPrefix);
  if (!alias.empty()) {
    std::string escaped(alias);
    std::replace(escaped.begin(), escaped.end(), '/', '_');
    key += escaped + ".";
  }
  return key + std::string(setting);
}

std::string annotation_field(std::string_view key) {
  return "metadata.annotations[\"" + std::string(key) + "\"]";
}

AnnotationConfig read_annotations(const Application& app) {
  AnnotationConfig out;
  const AnnotationReader reader(app);
  out.write_back.method = reader.text({}, "write-back-method");
  out.write_back.write_back_target = reader.text({}, "write-back-target");
  out.write_back.branch = reader.text({}, "git-branch");
  out.write_back.repository = reader.text({}, "git-repository");

  const auto list = reader.text({}, "image-list");
  if (!list) return out;
  out.has_image_list = true;
  bool unused = true;  // only image layers have checks of their own (tag-match)
  const UpdateSettings app_wide = reader.settings({}, out.issues, unused);
  std::set<std::string, std::less<>> aliases;
  for (const std::string& item : split_list(list->value)) {
    std::string error;
    auto ref = model::parse_image_spec(item, &error);
    if (!ref) {
      out.issues.push_back(make_issue(Scope::kImage, app.ref, list->field, error));
      continue;
    }
    AnnotatedImage image;
    image.alias = ref->alias;
    image.image_name = image.alias.empty() ? item : item.substr(image.alias.size() + 1);
    image.ref = std::move(*ref);
    image.field = list->field;
    if (!image.alias.empty() && !aliases.insert(image.alias).second) {
      out.issues.push_back(
          make_issue(Scope::kImage, app.ref, list->field,
                     "duplicate alias \"" + image.alias + "\" in \"" + item + "\""));
      continue;
    }
    bool ok = true;
    image.settings = image.alias.empty()
                         ? app_wide
                         : merge(app_wide, reader.settings(image.alias, out.issues, ok));
    if (!ok) continue;
    image.target = reader.target(image.alias);
    out.images.push_back(std::move(image));
  }
  return out;
}

}  // namespace iu::config
