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
  ++pass_;
  if (per_repo_cap_ <= 0) {
    out.order = std::move(order);
    waiting_since_.clear();
    return out;
  }
  // Within each repository, applications that have waited longest come first (the rest keep
  // the scheduler's order); the first N of that per-repository sequence are taken.
  std::map<std::string, std::vector<size_t>> by_repo;
  for (size_t i : order)
    if (!jobs[i].repository.empty()) by_repo[jobs[i].repository].push_back(i);
  auto since = [&](size_t i) {
    auto it = waiting_since_.find(app_key(jobs[i]));
    return it == waiting_since_.end() ? UINT64_MAX : it->second;
  };
  std::vector<bool> selected(jobs.size(), false);
  for (auto& [repo, members] : by_repo) {
    std::stable_sort(members.begin(), members.end(),
                     [&](size_t a, size_t b) { return since(a) < since(b); });
    for (size_t k = 0; k < members.size() && k < static_cast<size_t>(per_repo_cap_); ++k)
      selected[members[k]] = true;
  }
  std::map<std::string, uint64_t> still_waiting;
  for (size_t i : order) {
    if (jobs[i].repository.empty() || selected[i]) {
      out.order.push_back(i);
    } else {
      out.deferred.push_back(i);
      uint64_t s = since(i);
      still_waiting[app_key(jobs[i])] = s == UINT64_MAX ? pass_ : s;
    }
  }
  waiting_since_ = std::move(still_waiting);
  return out;
}

}  // namespace iu::engine
