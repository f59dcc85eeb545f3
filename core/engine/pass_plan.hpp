// The order of work for one pass (SPEC §10.2–10.3): the scheduler plugin's order, then
// --cooldown (applications successfully updated within the duration move behind all others;
// deprioritised, not skipped), then --per-repo-cap (at most N applications sharing a write-back
// repository per pass). Applications the cap defers wait in line for their repository, longest
// waiting first, so every application is reached within ceil(size / N) passes whatever the
// scheduler — one large monorepo cannot monopolise a pass, nor starve inside itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "plugin_host/kinds.hpp"

namespace iu::engine {

struct PassPlan {
  std::vector<size_t> order;     // job indices to process, in this order
  std::vector<size_t> deferred;  // job indices left for a later pass by the cap
};

class PassPlanner {
 public:
  PassPlanner(std::chrono::milliseconds cooldown, int per_repo_cap)
      : cooldown_(cooldown), per_repo_cap_(per_repo_cap) {}

  // Plans one pass. Throws PluginError when the scheduler fails or returns a bad order.
  PassPlan plan(const plugin_host::SchedulerInstance& scheduler,
                const std::vector<plugin_host::SchedJob>& jobs, int64_t now_ms);

 private:
  std::chrono::milliseconds cooldown_;
  int per_repo_cap_;
  uint64_t pass_ = 0;
  std::map<std::string, uint64_t>
      waiting_since_;  // "ns/name" -> pass in which it was first deferred
};

}  // namespace iu::engine
