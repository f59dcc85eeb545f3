#include "engine/write_queue.hpp"

#include "log/log.hpp"
#include "metrics/registry.hpp"

namespace iu::engine {
namespace {

// argocd_image_updater_git_queue_length: intents waiting for their write (SPEC §13.1). Every
// queue adds its own pending count, so several queues (passes, loops) sum correctly.
uint64_t queue_length_gauge() {
  static const uint64_t id = metrics::Registry::global().declare(
      metrics::Type::gauge, "argocd_image_updater_git_queue_length",
      "Write intents queued and not yet handed to their write-back plugin", {});
  return id;
}

}  // namespace

void WriteQueue::enqueue(const std::string& plugin, WriteIntent intent) {
  const auto& wb = writeback_(plugin);
  std::string key = wb.batch_key(intent.view());
  // Unbatched: each application alone (its own key).
  if (key.empty() || batch_disabled_) key += "#" + intent.app_namespace + "/" + intent.app_name;
  const size_t n = intent.changes.size();
  const std::string app = intent.app_name;
  {
    std::lock_guard lock(mu_);
    groups_[{plugin, key}].push_back(std::move(intent));
  }
  metrics::Registry::global().add_gauge(queue_length_gauge(), {}, 1);
  if (plugin == "git") {
    log::info("Queuing " + std::to_string(n) + " parameter update(s) for application " + app +
                  " (git write pending)",
              {{"application", app}});
  } else {
    log::info("Committing " + std::to_string(n) + " parameter update(s) for application " + app,
              {{"application", app}});
  }
}

size_t WriteQueue::pending() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [_, v] : groups_) n += v.size();
  return n;
}

std::vector<WriteOutcome> WriteQueue::flush() {
  std::map<std::pair<std::string, std::string>, std::vector<WriteIntent>> groups;
  {
    std::lock_guard lock(mu_);
    groups.swap(groups_);
  }
  size_t taken = 0;
  for (const auto& [_, v] : groups) taken += v.size();
  if (taken > 0)
    metrics::Registry::global().add_gauge(queue_length_gauge(), {}, -static_cast<double>(taken));
  std::vector<WriteOutcome> out;
  for (auto& [key, intents] : groups) {
    std::vector<const iu_write_intent*> views;
    // view() pointers stay valid: the vector is not modified while they are in use.
    for (const auto& i : intents) views.push_back(&i.view());
    std::vector<plugin_host::WriteResult> results;
    std::string batch_error;
    iu_status batch_status = IU_STATUS_OK;
    try {
      results = writeback_(key.first).write_batch(views);
    } catch (const plugin_host::PluginError& e) {
      batch_error = e.what();
      batch_status = e.status();
    } catch (const std::exception& e) {
      batch_error = e.what();
      batch_status = IU_STATUS_INTERNAL;
    }
    for (size_t i = 0; i < intents.size(); ++i) {
      WriteOutcome o;
      o.app_namespace = intents[i].app_namespace;
      o.app_name = intents[i].app_name;
      o.changes = intents[i].changes.size();
      if (batch_status != IU_STATUS_OK) {
        o.status = batch_status;
        o.message = batch_error;
      } else {
        o.status = results[i].status;
        o.message = results[i].message;
        o.changes_applied = results[i].changes_applied;
      }
      if (o.status != IU_STATUS_OK)
        log::error("Could not update application spec: " + o.message,
                   {{"application", o.app_name}});
      out.push_back(std::move(o));
    }
  }
  return out;
}

}  // namespace iu::engine
