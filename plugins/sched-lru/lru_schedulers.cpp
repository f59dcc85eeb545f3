// scheduler/lru and scheduler/fail-first (SPEC §10.2).
//   lru:        least recently attempted first; never-attempted applications before all others.
//   fail-first: applications whose last attempt failed first, oldest failure first; then lru.
// Ties keep listing order (namespace, name), so the order is total and reproducible.
#include <algorithm>
#include <numeric>
#include <tuple>

#include "iu/plugin.hpp"

namespace {

using iu::sdk::Strided;

// Never attempted sorts before any real time.
int64_t attempt_key(const iu_sched_job& j) {
  return j.last_attempt_ms == IU_TIME_UNKNOWN ? INT64_MIN : j.last_attempt_ms;
}

auto listing_key(const iu_sched_job& j) {
  return std::pair(iu::sdk::view(j.app_namespace), iu::sdk::view(j.app_name));
}

template <typename Less>
void emit_sorted(const Strided<iu_sched_job>& jobs, iu::sdk::IndexSink& out, Less less) {
  std::vector<uint64_t> idx(jobs.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(),
                   [&](uint64_t a, uint64_t b) { return less(jobs[a], jobs[b]); });
  for (uint64_t i : idx) out.put(i);
}

bool lru_less(const iu_sched_job& a, const iu_sched_job& b) {
  return std::tuple(attempt_key(a), listing_key(a)) < std::tuple(attempt_key(b), listing_key(b));
}

class LruScheduler : public iu::sdk::Scheduler {
 public:
  explicit LruScheduler(iu::sdk::Call&) {}
  void order(iu::sdk::Call&, int64_t, const Strided<iu_sched_job>& jobs,
             iu::sdk::IndexSink& out) override {
    emit_sorted(jobs, out, lru_less);
  }
};

class FailFirstScheduler : public iu::sdk::Scheduler {
 public:
  explicit FailFirstScheduler(iu::sdk::Call&) {}
  void order(iu::sdk::Call&, int64_t, const Strided<iu_sched_job>& jobs,
             iu::sdk::IndexSink& out) override {
    emit_sorted(jobs, out, [](const iu_sched_job& a, const iu_sched_job& b) {
      bool fa = a.last_result == IU_RESULT_FAILURE, fb = b.last_result == IU_RESULT_FAILURE;
      if (fa != fb) return fa;
      if (fa && a.last_failure_ms != b.last_failure_ms)
        return a.last_failure_ms < b.last_failure_ms;
      return lru_less(a, b);
    });
  }
};

}  // namespace

IU_PLUGIN("sched-lru", "1.0.0",
          iu::sdk::scheduler_factory<LruScheduler>(
              "lru", {.description = "least recently attempted applications first"}),
          iu::sdk::scheduler_factory<FailFirstScheduler>(
              "fail-first",
              {.description = "recent failures first (oldest failure first), then lru"}))
