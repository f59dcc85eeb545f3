// Turning merged setting layers into an ImageConfig, checking every value. Internal to
// iu_config (resolve() is the public entry point).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/image_config.hpp"
#include "config/issue.hpp"
#include "config/settings.hpp"

namespace iu::config {

// One image to build, already parsed from its configuration.
struct ImageSource {
  const ObjectRef* object = nullptr;  // the object problems are reported for
  std::string field;                  // the image's configuration (ImageConfig::field)
  std::string image_name_field;       // where the reference is written (version errors)
  std::string alias;
  std::string image_name;
  model::ImageRef ref;
  // When set, `secret:`/`pullsecret:` references must name this namespace (an ImageUpdater's
  // own namespace, SPEC §8).
  std::optional<std::string> secret_namespace;
};

// Applies built-in defaults to `merged`, checks each value and returns the image, or
// std::nullopt after appending every problem (scope kImage) to `*issues`. Deprecated strategy
// names add a warning and still succeed.
std::optional<ImageConfig> build_image(const ImageSource& source, const UpdateSettings& merged,
                                       const VerificationSettings& verification,
                                       const ImageTarget& target, const StrategyChecker& strategy,
                                       std::vector<ConfigIssue>* issues);

}  // namespace iu::config
