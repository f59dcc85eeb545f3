// ImageUpdater documents: the schema of SPEC §4.1 and every rule the API server's CRD would
// enforce (the `dir` source has no API server). Any violation is a CR-level error.
#include <algorithm>
#include <map>

#include "config/metadata.hpp"
#include "config/objects.hpp"
#include "config/settings_parse.hpp"
#include "config/write_back.hpp"
#include "model/image_ref.hpp"

namespace iu::config {
namespace {

using yaml::index;
using yaml::join;

std::optional<LabelSelector> read_selector(yaml::Reader& r, const YAML::Node& ref,
                                           const std::string& ref_path) {
  const std::string path = join(ref_path, "labelSelectors");
  const YAML::Node node = yaml::Reader::child(ref, "labelSelectors");
  if (!r.mapping(node, path, {"matchLabels", "matchExpressions"})) return std::nullopt;
  const int failures_before = r.failures();
  LabelSelector out;
  if (auto labels = r.string_map(node, path, "matchLabels")) out.match_labels = std::move(*labels);
  const std::string exprs_path = join(path, "matchExpressions");
  const YAML::Node exprs = yaml::Reader::child(node, "matchExpressions");
  if (exprs.IsDefined() && !exprs.IsSequence()) {
    r.error(exprs_path, "expected a list");
  } else if (exprs.IsDefined()) {
    for (std::size_t i = 0; i < exprs.size(); ++i) {
      const std::string p = index(exprs_path, i);
      if (!r.mapping(exprs[i], p, {"key", "operator", "values"})) {
        if (yaml::is_absent(exprs[i])) r.error(p, "expected a mapping, found null");
        continue;
      }
      LabelRequirement req;
      auto key = r.string(exprs[i], p, "key");
      auto op = r.string(exprs[i], p, "operator");
      if (!key) r.error(join(p, "key"), "required");
      if (!op) {
        r.error(join(p, "operator"), "required");
      } else if (auto parsed = parse_op(*op)) {
        req.op = *parsed;
      } else {
        r.error(join(p, "operator"),
                "unknown operator \"" + *op + "\" (expected In, NotIn, Exists or DoesNotExist)");
      }
      req.key = key.value_or("");
      req.values = r.strings(exprs[i], p, "values").value_or(std::vector<std::string>{});
      out.match_expressions.push_back(std::move(req));
    }
  }
  if (r.failures() != failures_before) return out;
  if (auto problem = validate(out)) r.error(join(path, problem->field), problem->message);
  return out;
}

ImageSpec read_image(yaml::Reader& r, const YAML::Node& node, const std::string& path) {
  ImageSpec out;
  out.field = path;
  if (!r.mapping(node, path,
                 {"alias", "imageName", "commonUpdateSettings", "imagesVerification",
                  "manifestTargets"})) {
    if (yaml::is_absent(node)) r.error(path, "expected a mapping, found null");
    return out;
  }
  if (auto alias = r.string(node, path, "alias")) {
    out.alias = *alias;
    if (!model::is_valid_alias(out.alias))
      r.error(join(path, "alias"),
              "invalid alias \"" + out.alias + "\": must match ^[a-zA-Z0-9][a-zA-Z0-9-._]*$");
  } else if (!yaml::Reader::child(node, "alias").IsDefined()) {
    r.error(join(path, "alias"), "required");
  }
  if (auto name = r.string(node, path, "imageName"))
    out.image_name = *name;
  else if (!yaml::Reader::child(node, "imageName").IsDefined())
    r.error(join(path, "imageName"), "required");
  out.settings = read_update_settings(r, node, path);
  out.verification = read_verification(r, node, path);
  out.target = read_manifest_targets(r, node, path);
  return out;
}

ApplicationRefSpec read_ref(yaml::Reader& r, const YAML::Node& node, std::size_t i,
                            std::vector<ConfigIssue>& warnings) {
  ApplicationRefSpec out;
  out.index = i;
  out.field = index("spec.applicationRefs", i);
  const std::string& path = out.field;
  if (!r.mapping(node, path,
                 {"namePattern", "labelSelectors", "useAnnotations", "commonUpdateSettings",
                  "writeBackConfig", "imagesVerification", "images"})) {
    if (yaml::is_absent(node)) r.error(path, "expected a mapping, found null");
    return out;
  }
  if (auto pattern = r.string(node, path, "namePattern")) {
    out.name_pattern = *pattern;
    std::string error;
    if (pattern->empty())
      r.error(join(path, "namePattern"), "must not be empty");
    else if (auto glob = model::Glob::compile(*pattern, &error))
      out.name_glob = std::move(*glob);
    else
      r.error(join(path, "namePattern"), error);
  } else if (!yaml::Reader::child(node, "namePattern").IsDefined()) {
    r.error(join(path, "namePattern"), "required");
  }
  out.label_selector = read_selector(r, node, path);
  out.use_annotations = r.boolean(node, path, "useAnnotations").value_or(false);
  out.settings = read_update_settings(r, node, path);
  out.write_back = read_write_back(r, node, path);
  out.verification = read_verification(r, node, path);

  const std::string images_path = join(path, "images");
  const YAML::Node images = yaml::Reader::child(node, "images");
  if (out.use_annotations) {
    for (const char* ignored : {"images", "commonUpdateSettings", "writeBackConfig"})
      if (yaml::Reader::child(node, ignored).IsDefined())
        warnings.push_back(make_issue(Scope::kUpdater, r.object(), join(path, ignored),
                                      "ignored: with useAnnotations the settings come from the "
                                      "Application's annotations",
                                      Severity::kWarning));
    return out;
  }
  if (!images.IsDefined()) {
    r.error(images_path, "required (at least one image) unless useAnnotations is true");
  } else if (!images.IsSequence()) {
    r.error(images_path, "expected a list");
  } else if (images.size() == 0) {
    r.error(images_path, "must list at least one image unless useAnnotations is true");
  } else {
    std::map<std::string, std::size_t> aliases;
    for (std::size_t k = 0; k < images.size(); ++k) {
      out.images.push_back(read_image(r, images[k], index(images_path, k)));
      const std::string& alias = out.images.back().alias;
      if (alias.empty()) continue;
      auto [it, fresh] = aliases.emplace(alias, k);
      if (!fresh)
        r.error(join(index(images_path, k), "alias"),
                "duplicate alias \"" + alias + "\" (also " + index(images_path, it->second) + ")");
    }
  }
  return out;
}

// Rules that span layers: verification needs a key wherever it is enabled, and pullRequest
// excludes `base:target` branches once spec and ref settings are merged.
void check_merged_layers(yaml::Reader& r, const ImageUpdater& cr) {
  const auto check_verification = [&](const VerificationSettings& v) {
    if (v.enabled && v.enabled->value && !v.cosign_key)
      r.error(v.enabled->field, "cosignKey is required when verification is enabled");
  };
  check_verification(cr.verification);
  for (const ApplicationRefSpec& ref : cr.application_refs) {
    const VerificationSettings ref_v = merge(cr.verification, ref.verification);
    check_verification(ref_v);
    for (const ImageSpec& image : ref.images) check_verification(merge(ref_v, image.verification));
    if (ref.use_annotations) continue;
    std::vector<ConfigIssue> problems;
    build_write_back(merge(cr.write_back, ref.write_back), cr.ref, Scope::kUpdater, &problems);
    for (ConfigIssue& p : problems) r.error(std::move(p.field_path), std::move(p.message));
  }
}

void drop_duplicate_errors(std::vector<ConfigIssue>& errors) {
  std::vector<ConfigIssue> unique;
  for (ConfigIssue& e : errors) {
    const bool seen = std::any_of(unique.begin(), unique.end(), [&](const ConfigIssue& u) {
      return u.field_path == e.field_path && u.message == e.message;
    });
    if (!seen) unique.push_back(std::move(e));
  }
  errors = std::move(unique);
}

}  // namespace

std::optional<ImageUpdater> parse_image_updater(const YAML::Node& document,
                                                const ParseOptions& options,
                                                std::vector<ConfigIssue>* issues) {
  ImageUpdater out;
  auto meta =
      read_metadata(document, "ImageUpdater", options, Scope::kUpdater, issues, &out.errors);
  if (!meta) return std::nullopt;
  out.ref = meta->ref;
  out.generation = meta->generation;
  yaml::Reader r(out.ref, Scope::kUpdater, &out.errors, options.strict);
  r.mapping(document, "", {"apiVersion", "kind", "metadata", "spec", "status"});

  const YAML::Node spec = yaml::Reader::child(document, "spec");
  if (!r.mapping(spec, "spec",
                 {"commonUpdateSettings", "writeBackConfig", "imagesVerification",
                  "applicationRefs", "namespace"})) {
    if (!spec.IsDefined()) r.error("spec", "required");
    drop_duplicate_errors(out.errors);
    return out;
  }
  if (options.strict && yaml::Reader::child(spec, "namespace").IsDefined())
    r.error("spec.namespace",
            "unknown field (removed in v1.2: an ImageUpdater manages the Applications in its own "
            "namespace)");
  out.settings = read_update_settings(r, spec, "spec");
  out.write_back = read_write_back(r, spec, "spec");
  out.verification = read_verification(r, spec, "spec");

  const YAML::Node refs = yaml::Reader::child(spec, "applicationRefs");
  if (!refs.IsDefined()) {
    r.error("spec.applicationRefs", "required (at least one applicationRef)");
  } else if (!refs.IsSequence()) {
    r.error("spec.applicationRefs", "expected a list");
  } else if (refs.size() == 0) {
    r.error("spec.applicationRefs", "must list at least one applicationRef");
  } else {
    std::map<std::string, std::size_t> patterns;
    for (std::size_t i = 0; i < refs.size(); ++i) {
      out.application_refs.push_back(read_ref(r, refs[i], i, out.warnings));
      const ApplicationRefSpec& ref = out.application_refs.back();
      if (!ref.name_glob) continue;
      auto [it, fresh] = patterns.emplace(ref.name_pattern, i);
      if (!fresh)
        r.error(join(ref.field, "namePattern"),
                "duplicate namePattern \"" + ref.name_pattern + "\" (also " +
                    index("spec.applicationRefs", it->second) + ")");
    }
  }
  check_merged_layers(r, out);
  drop_duplicate_errors(out.errors);
  return out;
}

}  // namespace iu::config
