// Building one ManagedApplication from the ref (or annotations) that selected it. Internal to
// iu_config; resolve() decides which application goes with which updater.
#pragma once

#include <optional>
#include <string>

#include "config/image_updater.hpp"
#include "config/resolve.hpp"

namespace iu::config {

// An application matched by `ref` of ImageUpdater `cr`.
ManagedApplication build_from_ref(const Application& app, const ImageUpdater& cr,
                                  const ApplicationRefSpec& ref, const MatchOptions& options);

// An application of `--source annotations`, under the synthetic updater `legacy`.
ManagedApplication build_from_annotations(const Application& app, const ObjectRef& legacy,
                                          const MatchOptions& options);

// CR-level rules that need the options (loaded write-back plugins, feature switches) or the
// CR's namespace (`git:secret:<ns>/…`). Problems are appended to `*issues`; true when none.
bool check_updater(const ImageUpdater& cr, const MatchOptions& options,
                   std::vector<ConfigIssue>* issues);

}  // namespace iu::config
