// What is deployed for each image of an application (SPEC §10.4 step 2, §4.3 "Live images").
//  * crd / annotations: status.summary.images, matched by normalized name (§5.3 [FIX]);
//  * dir: what the write-back target holds — read by the write-back plugin (git: the file at
//    the push branch tip), or, for argocd, the Application document's own source parameters.
#pragma once

#include <optional>
#include <vector>

#include "config/resolve.hpp"
#include "engine/source_select.hpp"
#include "engine/write_intent.hpp"
#include "model/image_ref.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::engine {

// One entry per image of `app` (same order); nullopt = not deployed.
std::vector<std::optional<model::ImageRef>> live_from_status(const config::ManagedApplication& app);

// From the Application's own source parameters (dir source, argocd write-back).
std::vector<std::optional<model::ImageRef>> live_from_source(const config::ManagedApplication& app,
                                                             const config::ApplicationSource& source,
                                                             const std::string& source_type);

// From the write-back target through the plugin's read_current (`probe` holds one change per
// image, in order, with empty new_* fields).
std::vector<std::optional<model::ImageRef>> live_from_target(
    const config::ManagedApplication& app, const plugin_host::WritebackInstance& writeback,
    const WriteIntent& probe);

// The change target settings (helm.name, kustomize.name, ...) of one image.
std::vector<std::pair<std::string, std::string>> target_settings(const config::ImageConfig& image);

}  // namespace iu::engine
