// The ImageUpdater custom resource (argocd-image-updater.argoproj.io/v1alpha1, SPEC §4.1) after
// its schema and rule checks. Settings stay layered here; inheritance happens in resolve().
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/issue.hpp"
#include "config/label_selector.hpp"
#include "config/settings.hpp"
#include "model/glob.hpp"

namespace iu::config {

// spec.applicationRefs[].images[]
struct ImageSpec {
  std::string field;  // `spec.applicationRefs[0].images[1]`
  std::string alias;
  std::string image_name;  // checked when resolved (an image-level error, SPEC §14)
  UpdateSettings settings;
  VerificationSettings verification;
  ImageTarget target;
};

// spec.applicationRefs[]
struct ApplicationRefSpec {
  std::string field;  // `spec.applicationRefs[0]`
  std::size_t index = 0;
  std::string name_pattern;
  std::optional<model::Glob> name_glob;  // set when the CR is valid
  std::optional<LabelSelector> label_selector;
  bool use_annotations = false;
  UpdateSettings settings;
  WriteBackSettings write_back;
  VerificationSettings verification;
  std::vector<ImageSpec> images;

  // SPEC §4.1 ranking: +1,000,000 for a pattern without wildcards, +1 per literal character,
  // +10,000 when labelSelectors is set, +100 per matchLabels/matchExpressions entry.
  std::int64_t specificity() const;
  // True when the name and the labels both match.
  bool matches(std::string_view app_name, const Labels& app_labels) const;
};

struct ImageUpdater {
  ObjectRef ref;
  std::int64_t generation = 0;
  UpdateSettings settings;            // spec.commonUpdateSettings
  WriteBackSettings write_back;       // spec.writeBackConfig
  VerificationSettings verification;  // spec.imagesVerification
  std::vector<ApplicationRefSpec> application_refs;
  // CR-level errors (scope kUpdater). Any error takes the whole CR out of service, so that no
  // application is routed to a less specific ref by mistake.
  std::vector<ConfigIssue> errors;
  // Settings that are present but have no effect (e.g. images of a useAnnotations ref).
  std::vector<ConfigIssue> warnings;

  bool valid() const { return errors.empty(); }
};

// The specificity of a namePattern alone: +1,000,000 when it has no unescaped `*`, `?` or `[`,
// plus one per literal character (wildcards and `[...]` classes count 0, `\x` counts 1).
std::int64_t name_pattern_specificity(std::string_view pattern);

}  // namespace iu::config
