// `run` with --source crd or annotations: builds the Kubernetes side from the flags and plugs
// it into the engine options (snapshot loader, end-of-pass observer, writeback-argocd
// connection settings, the Argo CD namespace of the cluster configuration).
#pragma once

#include <memory>

#include "cli/flag_table.hpp"
#include "engine/engine.hpp"
#include "kube/kube_side.hpp"

namespace iu::cli {

// Null for --source dir. Throws UsageError for bad flags or an unusable cluster configuration.
// `may_elect` false turns leader election off whatever the flags say (the `webhook` command,
// SPEC §11.1); it is off with --once / --interval 0 too.
std::unique_ptr<kube::KubeSide> start_kube_side(const FlagValues& v, engine::EngineOptions& opts,
                                                bool may_elect = true);

}  // namespace iu::cli
