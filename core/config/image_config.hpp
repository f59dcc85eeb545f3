// The effective settings of one image in one application: what the update pipeline works from
// once inheritance (image > applicationRef > spec > built-in default, SPEC §4.1) is applied and
// every value has been checked (§5, §6.1-6.3).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/issue.hpp"
#include "config/settings.hpp"
#include "credentials/credential_ref.hpp"
#include "model/image_ref.hpp"
#include "model/platform.hpp"
#include "model/tag_filter.hpp"

namespace iu::config {

struct ImageConfig {
  std::string alias;       // empty for an image-list item without alias
  std::string image_name;  // the reference as configured (without the alias)
  std::string field;     // where the image is configured, e.g. `spec.applicationRefs[0].images[1]`
  model::ImageRef ref;   // parsed image_name; `ref.version` is the constraint or tracked tag
  std::string strategy;  // canonical strategy name (`latest` became `newest-build`)
  bool force_update = false;
  std::string allow_tags;                // effective text, empty when unset
  std::vector<std::string> ignore_tags;  // effective globs
  model::TagFilter filter;               // allow_tags and ignore_tags compiled
  // Explicit platforms, or the runtime platform when none were configured.
  std::vector<model::Platform> platforms;
  bool platforms_explicit = false;
  std::optional<credentials::CredentialRef> pull_secret;
  ImageTarget target;
  std::optional<CosignKey> verification;  // set when signature verification is enabled
};

// What a strategy implementation says about a configured strategy name and version text.
struct StrategyCheck {
  std::string name;           // canonical name; differs from the input for an alias
  std::string error;          // non-empty: the name is unusable (reported at updateStrategy)
  std::string version_error;  // non-empty: the version does not suit it (reported at imageName)
};
using StrategyChecker =
    std::function<StrategyCheck(std::string_view strategy, std::string_view version)>;

// The bundled strategies (SPEC §2): semver, newest-build (alias latest), alphabetical (alias
// name), digest (needs a version naming the tag to track). Constraint syntax is not checked
// here; the engine passes a checker backed by the loaded strategy plugins, which does.
StrategyCheck builtin_strategy_check(std::string_view strategy, std::string_view version);

// Names a write-back implementation: std::nullopt when it is available, otherwise the error
// text, e.g. `unknown write-back method "svn" (available: argocd, git)`.
using WriteBackChecker = std::function<std::optional<std::string>(std::string_view plugin)>;
std::optional<std::string> builtin_write_back_check(std::string_view plugin);

}  // namespace iu::config
