// scheduler/default: applications in listing order — namespace, then name (SPEC §10.2).
#include <algorithm>
#include <numeric>

#include "iu/plugin.hpp"

namespace {

class DefaultScheduler : public iu::sdk::Scheduler {
 public:
  explicit DefaultScheduler(iu::sdk::Call&) {}
  void order(iu::sdk::Call&, int64_t, const iu::sdk::Strided<iu_sched_job>& jobs,
             iu::sdk::IndexSink& out) override {
    std::vector<uint64_t> idx(jobs.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](uint64_t a, uint64_t b) {
      auto ka = std::pair(iu::sdk::view(jobs[a].app_namespace), iu::sdk::view(jobs[a].app_name));
      auto kb = std::pair(iu::sdk::view(jobs[b].app_namespace), iu::sdk::view(jobs[b].app_name));
      return ka < kb;
    });
    for (uint64_t i : idx) out.put(i);
  }
};

}  // namespace

IU_PLUGIN("sched-default", "1.0.0",
          iu::sdk::scheduler_factory<DefaultScheduler>(
              "default", {.description = "applications by namespace, then name"}))
