// One application's pass (SPEC §10.4): live versions, then per image (in configuration order)
// registry lookup, strategy and update decision; the changes form the application's write intent.
// Errors are per image: logged, counted, and the next image goes on.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/resolve.hpp"
#include "engine/pass_scope.hpp"
#include "engine/write_intent.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::registry {
class RegistryService;
}

namespace iu::engine {

struct ImageOutcome {
  std::string alias, image;
  enum class Result { skipped, unchanged, update, error } result = Result::skipped;
  std::string old_version, new_version, message;
};

struct AppOutcome {
  std::string app_namespace, app_name;
  std::vector<ImageOutcome> images;
  std::optional<WriteIntent> intent;  // set when at least one image changes
  std::string write_plugin;           // write-back implementation name ("git", "argocd", ...)
  bool skipped = false;               // application-level problem (logged)
  std::string error;                  // application-level error, if any
  int considered = 0, skipped_images = 0, errors = 0;
};

struct ProcessContext {
  registry::RegistryService* registry = nullptr;
  // Cached strategy instances by canonical name (throws for unknown names).
  std::function<const plugin_host::StrategyInstance&(const std::string&)> strategy;
  // Write-back instances by plugin name (throws for unknown names).
  std::function<const plugin_host::WritebackInstance&(const std::string&)> writeback;
  const config::Snapshot* snapshot = nullptr;
  config::SourceKind source = config::SourceKind::kDir;
  std::string argocd_namespace = "argocd";
  bool dry_run = false;
  // A webhook-triggered pass checks only the images the scope names (fresh tag lists, the
  // pushed tags re-read); null = every image.
  const PassScope* scope = nullptr;
};

AppOutcome process_application(const config::ManagedApplication& app, ProcessContext& ctx);

// The write intent's settings for an application (everything but the changes): method,
// repository, branch, target, source, credentials. Throws std::runtime_error for an
// application-level write-back problem (e.g. a missing git credentials Secret).
WriteIntent base_intent(const config::ManagedApplication& app, const ProcessContext& ctx,
                        std::string* source_type);

}  // namespace iu::engine
