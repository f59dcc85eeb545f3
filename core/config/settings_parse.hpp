// Reading the setting blocks of an ImageUpdater (commonUpdateSettings, writeBackConfig,
// imagesVerification, manifestTargets) with their schema rules. Internal to iu_config.
#pragma once

#include <string_view>

#include "config/settings.hpp"
#include "config/yaml_reader.hpp"

namespace iu::config {

// `<parent_path>.commonUpdateSettings` of mapping `parent`.
UpdateSettings read_update_settings(yaml::Reader& r, const YAML::Node& parent,
                                    std::string_view parent_path);

// `<parent_path>.writeBackConfig`: method, branch and target syntax, the pullRequest rules
// (exactly one of github/gitlab; labels at most 100 items of 1-255 characters once trimmed,
// de-duplicated).
WriteBackSettings read_write_back(yaml::Reader& r, const YAML::Node& parent,
                                  std::string_view parent_path);

// `<parent_path>.imagesVerification`: a present block sets enabled (default true); a present
// cosignKey needs secretName and key.
VerificationSettings read_verification(yaml::Reader& r, const YAML::Node& parent,
                                       std::string_view parent_path);

// `<parent_path>.manifestTargets`: exactly one of helm, kustomize, plugin.
ImageTarget read_manifest_targets(yaml::Reader& r, const YAML::Node& parent,
                                  std::string_view parent_path);

}  // namespace iu::config
