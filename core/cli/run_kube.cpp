#include "cli/run_kube.hpp"

#include "util/duration.hpp"

namespace iu::cli {

std::unique_ptr<kube::KubeSide> start_kube_side(const FlagValues& v, engine::EngineOptions& opts,
                                                bool may_elect) {
  if (opts.source == config::SourceKind::kDir) return nullptr;
  kube::SideOptions so;
  so.kind = opts.source;
  so.kubeconfig = v.get("kubeconfig");
  so.argocd_namespace = v.get("argocd-namespace");
  so.watch_namespaces = v.get("watch-namespaces");
  so.application_label_selector = v.get("match-application-label");
  so.events = !v.boolean("disable-kube-events");
  so.dry_run = opts.dry_run;
  const bool once = v.boolean("once") || util::parse_duration(v.get("interval"))->count() == 0;
  so.leader_election = may_elect && v.boolean("leader-election") && !once;  // SPEC §11.1
  so.lease_namespace = v.get("leader-election-namespace");
  so.lease_id = v.get("leader-election-id");
  so.shard_count = static_cast<int>(v.integer("shard-count"));
  so.shard_index = v.get("shard-index");
  so.interval = std::chrono::duration_cast<std::chrono::milliseconds>(
      *util::parse_duration(v.get("interval")));
  std::unique_ptr<kube::KubeSide> side;
  try {
    side = std::make_unique<kube::KubeSide>(std::move(so));
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
  opts.argocd_namespace = side->argocd_namespace();
  opts.snapshot_loader = side->loader();
  opts.pass_observer = side->observer();
  for (const auto& [key, value] : side->writeback_settings()) opts.writeback_settings[key] = value;
  return side;
}

}  // namespace iu::cli
