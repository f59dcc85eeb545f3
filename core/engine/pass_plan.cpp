#include "engine/pass_plan.hpp"

#include <algorithm>
#include <map>

namespace iu::engine {
namespace {

std::string app_key(const plugin_host::SchedJob& j) { return j.app_namespace + "/" + j.app_name; }

}  // namespace

PassPlan PassPlanner::plan(const plugin_host::SchedulerInstance& scheduler,
                           const std::vector<plugin_host::SchedJob>& jobs, int64_t now_ms) {
  std::vector<uint64_t> raw = scheduler.order(now_ms, jobs);
  std::vector<size_t> order(raw.begin(), raw.end());

  if (cooldown_.count() > 0) {
    auto cooling = [&](size_t i) {
      int64_t t = jobs[i].last_success_ms;
      return t != IU_TIME_UNKNOWN && now_ms - t < cooldown_.count();
    };
    std::stable_partition(order.begin(), order.end(), [&](size_t i) { return !cooling(i); });
  }

  PassPlan out;
  if (per_repo_cap_ <= 0) {
    out.order = std::move(order);
    deferred_keys_.clear();
    return out;
  }
  // Within each repository, applications deferred last time come first (keeping the
  // scheduler's order among them); the first N of that per-repository sequence are taken.
  std::map<std::string, std::vector<size_t>> by_repo;
  for (size_t i : order)
    if (!jobs[i].repository.empty()) by_repo[jobs[i].repository].push_back(i);
  std::vector<bool> selected(jobs.size(), false);
  for (auto& [repo, members] : by_repo) {
    std::stable_partition(members.begin(), members.end(),
                          [&](size_t i) { return deferred_keys_.count(app_key(jobs[i])) != 0; });
    for (size_t k = 0; k < members.size() && k < static_cast<size_t>(per_repo_cap_); ++k)
      selected[members[k]] = true;
  }
  deferred_keys_.clear();
  for (size_t i : order) {
    if (jobs[i].repository.empty() || selected[i]) {
      out.order.push_back(i);
    } else {
      out.deferred.push_back(i);
      deferred_keys_.insert(app_key(jobs[i]));
    }
  }
  return out;
}

}  // namespace iu::engine
