// Legacy v0.x annotations on an Application (SPEC §4.2), used by `--source annotations` and by
// applicationRefs with `useAnnotations: true`. All keys carry the prefix
// `argocd-image-updater.argoproj.io/`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/application.hpp"
#include "config/issue.hpp"
#include "config/settings.hpp"
#include "model/image_ref.hpp"

namespace iu::config {

// One image-list item with its settings layers.
struct AnnotatedImage {
  std::string alias;       // empty when the item has none
  std::string image_name;  // the item without `alias=`, trimmed
  model::ImageRef ref;
  std::string field;        // `metadata.annotations["…/image-list"]`
  UpdateSettings settings;  // app-wide values overlaid by `<alias>.` values
  ImageTarget target;       // `<alias>.helm.*`, `<alias>.kustomize.image-name`
};

struct AnnotationConfig {
  bool has_image_list = false;         // the `image-list` annotation is present
  std::vector<AnnotatedImage> images;  // usable items, in list order
  WriteBackSettings write_back;        // write-back-method/-target, git-branch, git-repository
  std::vector<ConfigIssue> issues;     // image-level errors (those items are left out), warnings
};

// The full annotation key of a setting: `<prefix><setting>` app-wide (empty alias), else
// `<prefix><alias>.<setting>` with any `/` of the alias written `_`.
std::string annotation_key(std::string_view alias, std::string_view setting);
// `metadata.annotations["<key>"]` for a full key.
std::string annotation_field(std::string_view key);

// Reads the annotations of `app`. Values are checked later with the effective settings, so a bad
// app-wide value becomes an error of every image that inherits it.
AnnotationConfig read_annotations(const Application& app);

}  // namespace iu::config
