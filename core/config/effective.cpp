#include "config/effective.hpp"

#include <array>
#include <utility>

#include "util/duration.hpp"

namespace iu::config {
namespace {

// A list item's field: `<list>[i]` for CR lists; an annotation holds the whole comma-separated
// list in one value, so its field stays as is.
std::string item_field(const std::string& list_field, std::size_t i) {
  if (!list_field.empty() && list_field.back() == ']') return list_field;
  return list_field + "[" + std::to_string(i) + "]";
}

}  // namespace

StrategyCheck builtin_strategy_check(std::string_view strategy, std::string_view version) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kNames = {{
      {"semver", "semver"},
      {"newest-build", "newest-build"},
      {"latest", "newest-build"},
      {"alphabetical", "alphabetical"},
      {"name", "alphabetical"},
      {"digest", "digest"},
  }};
  StrategyCheck out;
  for (const auto& [name, canonical] : kNames)
    if (name == strategy) out.name = std::string(canonical);
  if (out.name.empty()) {
    out.error = "unknown strategy \"" + std::string(strategy) +
                "\" (available: alphabetical, digest, newest-build, semver)";
    return out;
  }
  if (out.name == "digest" && version.empty())
    out.version_error = "the digest strategy needs the tag to track (e.g. \"nginx:1.27\")";
  return out;
}

std::optional<std::string> builtin_write_back_check(std::string_view plugin) {
  if (plugin == "argocd" || plugin == "git") return std::nullopt;
  return "unknown write-back method \"" + std::string(plugin) + "\" (available: argocd, git)";
}

std::optional<ImageConfig> build_image(const ImageSource& source, const UpdateSettings& merged,
                                       const VerificationSettings& verification,
                                       const ImageTarget& target, const StrategyChecker& strategy,
                                       std::vector<ConfigIssue>* issues) {
  bool ok = true;
  const auto report = [&](const std::string& field, std::string message,
                          Severity severity = Severity::kError) {
    if (severity == Severity::kError) ok = false;
    if (issues != nullptr)
      issues->push_back(
          make_issue(Scope::kImage, *source.object, field, std::move(message), severity));
  };
  ImageConfig out;
  out.alias = source.alias;
  out.image_name = source.image_name;
  out.field = source.field;
  out.ref = source.ref;
  out.target = target;

  // Strategy (default semver) and the version it reads from imageName.
  const std::string name = merged.update_strategy ? merged.update_strategy->value : "semver";
  const std::string strategy_field =
      merged.update_strategy ? merged.update_strategy->field : source.image_name_field;
  const StrategyCheck check = strategy ? strategy(name, source.ref.version)
                                       : builtin_strategy_check(name, source.ref.version);
  if (!check.error.empty()) {
    report(strategy_field, check.error);
  } else {
    out.strategy = check.name;
    if (check.name != name)
      report(strategy_field,
             "update strategy \"" + name + "\" is deprecated; use \"" + check.name + "\"",
             Severity::kWarning);
    if (!check.version_error.empty()) report(source.image_name_field, check.version_error);
  }

  if (merged.force_update) {
    if (auto value = util::parse_bool(merged.force_update->value))
      out.force_update = *value;
    else
      report(merged.force_update->field, "invalid boolean \"" + merged.force_update->value + "\"");
  }

  // Tag filters: allowTags first, then the ignoreTags globs (SPEC §6.1, §6.2).
  std::optional<std::string_view> allow;
  if (merged.allow_tags) allow = out.allow_tags = merged.allow_tags->value;
  if (merged.ignore_tags) out.ignore_tags = merged.ignore_tags->value;
  model::TagFilterError filter_error;
  if (auto filter = model::TagFilter::compile(allow, out.ignore_tags, &filter_error)) {
    out.filter = std::move(*filter);
  } else if (filter_error.field == model::TagFilterError::Field::kAllowTags) {
    report(merged.allow_tags->field, filter_error.message);
  } else {
    report(item_field(merged.ignore_tags->field, filter_error.index), filter_error.message);
  }

  if (merged.platforms) {
    out.platforms_explicit = true;
    for (std::size_t i = 0; i < merged.platforms->value.size(); ++i) {
      std::string error;
      if (auto platform = model::parse_platform(merged.platforms->value[i], &error))
        out.platforms.push_back(std::move(*platform));
      else
        report(item_field(merged.platforms->field, i), error);
    }
  } else {
    out.platforms.push_back(model::runtime_platform());
  }

  if (merged.pull_secret) {
    std::string error;
    const std::string& field = merged.pull_secret->field;
    if (auto ref = credentials::parse_ref(merged.pull_secret->value, &error)) {
      const bool namespaced = ref->kind == credentials::RefKind::kPullSecret ||
                              ref->kind == credentials::RefKind::kSecret;
      if (namespaced && source.secret_namespace && ref->ns != *source.secret_namespace)
        report(field, "credential reference \"" + ref->text +
                          "\" must name a Secret in the "
                          "ImageUpdater's namespace \"" +
                          *source.secret_namespace + "\"");
      else
        out.pull_secret = std::move(*ref);
    } else {
      report(field, error);
    }
  }

  if (verification.enabled && verification.enabled->value && verification.cosign_key)
    out.verification = verification.cosign_key->value;

  if (!ok) return std::nullopt;
  return out;
}

}  // namespace iu::config
