// KubeSide: what a pass leaves in the cluster — ImagesUpdated / UpdateFailed /
// InvalidConfiguration events and the ImageUpdater status (SPEC §4.1, §11.2, §13.4).
#include <map>

#include "kube/cr_status.hpp"
#include "kube/kube_side.hpp"
#include "kube/shard_status.hpp"
#include "log/log.hpp"

namespace iu::kube {

void KubeSide::on_pass(const engine::PassRecord& r) {
  try {
    post_events(r);
    if (!r.dry_run && !r.partial && options_.kind == config::SourceKind::kCrd) write_status(r);
  } catch (const std::exception& e) {
    log::error(std::string("cannot record the pass in Kubernetes: ") + e.what());
  }
}

void KubeSide::post_events(const engine::PassRecord& r) {
  if (!events_) return;
  std::map<std::string, const engine::WriteOutcome*> writes;
  for (const auto& w : r.writes) writes[w.app_namespace + "/" + w.app_name] = &w;
  std::lock_guard lock(mu_);
  for (const auto& o : r.outcomes) {
    const auto info = objects_.find(object_key("Application", o.app_namespace, o.app_name));
    EventObject app{"argoproj.io/v1alpha1", "Application", o.app_namespace, o.app_name,
                    info == objects_.end() ? std::string() : info->second.uid};
    auto w = writes.find(o.app_namespace + "/" + o.app_name);
    if (w != writes.end() && w->second->status != IU_STATUS_OK) {
      events_->warning(
          app, "UpdateFailed",
          "Application " + o.app_namespace + "/" + o.app_name + ": " + w->second->message);
      continue;
    }
    if (w == writes.end() || w->second->changes_applied == 0) continue;
    std::vector<EventImage> images;
    for (const auto& i : o.images)
      if (i.result == engine::ImageOutcome::Result::update)
        images.push_back({i.image + ":" + i.new_version, i.image, i.old_version, i.new_version});
    events_->images_updated(app, images);
  }
  for (const auto& cr : r.snapshot.updaters)
    if (!cr.valid()) {
      auto info = objects_.find(object_key("ImageUpdater", cr.ref.ns, cr.ref.name));
      std::vector<std::string> errs;
      for (const auto& e : cr.errors) errs.push_back(e.what());
      events_->warning({std::string(kImageUpdaterGV), "ImageUpdater", cr.ref.ns, cr.ref.name,
                        info == objects_.end() ? std::string() : info->second.uid},
                       "InvalidConfiguration", summarize_errors(errs));
    }
}

void KubeSide::write_status(const engine::PassRecord& r) {
  std::map<std::string, UpdaterPassFacts> facts;  // by "ns/name"
  for (const auto& cr : r.snapshot.updaters) {
    auto& f = facts[cr.ref.ns + "/" + cr.ref.name];
    f.generation = cr.generation;
    f.cr_failed = !cr.valid();
    for (const auto& e : cr.errors) f.errors.push_back(e.what());
  }
  for (const auto& m : r.managed) {
    auto it = facts.find(m.updater.ns + "/" + m.updater.name);
    if (it == facts.end()) continue;
    ++it->second.applications_matched;
    it->second.images_managed += static_cast<int>(m.images.size());
    for (const auto& i : m.issues)
      if (i.severity == config::Severity::kError) it->second.errors.push_back(i.what());
  }
  std::map<std::string, const engine::WriteOutcome*> writes;
  for (const auto& w : r.writes) writes[w.app_namespace + "/" + w.app_name] = &w;
  for (size_t k = 0; k < r.outcomes.size() && k < r.order.size(); ++k) {
    const auto& m = r.managed[r.order[k]];
    const auto& o = r.outcomes[k];
    auto it = facts.find(m.updater.ns + "/" + m.updater.name);
    if (it == facts.end()) continue;
    auto& f = it->second;
    const std::string app = "Application " + o.app_namespace + "/" + o.app_name + ": ";
    if (!o.error.empty()) f.errors.push_back(app + o.error);
    for (const auto& i : o.images)
      if (i.result == engine::ImageOutcome::Result::error)
        f.errors.push_back(app + "image " + i.alias + ": " + i.message);
    auto w = writes.find(o.app_namespace + "/" + o.app_name);
    if (w == writes.end()) continue;
    if (w->second->status != IU_STATUS_OK) {
      f.errors.push_back(app + "write-back: " + w->second->message);
      continue;
    }
    for (const auto& i : o.images) {
      if (i.result != engine::ImageOutcome::Result::update) continue;
      bool merged = false;
      for (auto& u : f.updates)
        if (u.alias == i.alias && u.image == i.image && u.new_version == i.new_version) {
          ++u.applications_updated;
          merged = true;
        }
      if (!merged) f.updates.push_back({i.alias, i.image, i.old_version, i.new_version, 1});
    }
  }
  const auto now = std::chrono::system_clock::now();
  std::lock_guard lock(mu_);
  const bool sharded = options_.shard_count > 1;
  for (const auto& cr : r.snapshot.updaters) {
    UpdaterPassFacts f = facts[cr.ref.ns + "/" + cr.ref.name];
    auto info = objects_.find(object_key("ImageUpdater", cr.ref.ns, cr.ref.name));
    const std::string previous = info == objects_.end() ? std::string() : info->second.status_json;
    const std::string path =
        resource_path(kImageUpdaterGV, "imageupdaters", cr.ref.ns, cr.ref.name);
    try {
      if (sharded) {
        // Record this shard's pass, then the status from every fresh shard summary.
        auto counts = fleet_counts_[cr.ref.ns + "/" + cr.ref.name];
        f.applications_matched = counts.first;
        f.images_managed = counts.second;
        client_->merge_patch(path, shard_annotation_patch(current_shard(), shard_summary(f, now)));
        f = combine_shards(client_->get(path), f, 3 * options_.interval, now);
      }
      client_->merge_patch(path + "/status", status_patch(f, previous, now));
    } catch (const std::exception& e) {
      log::warn(std::string("cannot update the status: ") + e.what(),
                {{"imageUpdater_namespace", cr.ref.ns}, {"imageUpdater_name", cr.ref.name}});
    }
  }
}

}  // namespace iu::kube
