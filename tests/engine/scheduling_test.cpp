// Scheduler plugins on a recorded history, --cooldown and --per-repo-cap (SPEC §10.2–10.3),
// and the fairness the cap promises: no application starves behind a hot monorepo.
#include <gtest/gtest.h>

#include <map>

#include "engine/pass_plan.hpp"
#include "plugin_host/loader.hpp"

namespace iu::engine {
namespace {

using plugin_host::Catalog;
using plugin_host::Kind;
using plugin_host::SchedJob;
using plugin_host::SchedulerInstance;

class Scheduling : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new Catalog();
    plugin_host::load_directories({IU_BUILD_PLUGIN_DIR}, *catalog_);
  }
  static void TearDownTestSuite() { delete catalog_; }
  static SchedulerInstance scheduler(const std::string& name) {
    return SchedulerInstance(catalog_->resolve(Kind::scheduler, name), {});
  }
  static Catalog* catalog_;
};
Catalog* Scheduling::catalog_ = nullptr;

SchedJob job(std::string ns, std::string name, std::string repo, int64_t attempt = IU_TIME_UNKNOWN,
             int32_t result = IU_RESULT_NONE, int64_t success = IU_TIME_UNKNOWN,
             int64_t failure = IU_TIME_UNKNOWN) {
  SchedJob j;
  j.app_namespace = std::move(ns);
  j.app_name = std::move(name);
  j.repository = std::move(repo);
  j.last_attempt_ms = attempt;
  j.last_result = result;
  j.last_success_ms = success;
  j.last_failure_ms = failure;
  return j;
}

std::vector<std::string> names(const std::vector<SchedJob>& jobs,
                               const std::vector<size_t>& order) {
  std::vector<std::string> out;
  for (size_t i : order) out.push_back(jobs[i].app_name);
  return out;
}

// A recorded history: c never attempted; a failed long ago; d failed recently; b succeeded.
std::vector<SchedJob> recorded() {
  return {job("argocd", "d", "r1", 500, IU_RESULT_FAILURE, IU_TIME_UNKNOWN, 500),
          job("argocd", "b", "r1", 300, IU_RESULT_SUCCESS, 300),
          job("argocd", "a", "r2", 400, IU_RESULT_FAILURE, 100, 400), job("argocd", "c", "r2"),
          job("apps", "z", "r3", 200, IU_RESULT_SUCCESS)};
}

TEST_F(Scheduling, DefaultIsNamespaceThenName) {
  auto jobs = recorded();
  PassPlanner p(std::chrono::milliseconds(0), 0);
  EXPECT_EQ(names(jobs, p.plan(scheduler("default"), jobs, 1000).order),
            (std::vector<std::string>{"z", "a", "b", "c", "d"}));
}

TEST_F(Scheduling, LruPutsNeverAttemptedFirstThenOldestAttempt) {
  auto jobs = recorded();
  PassPlanner p(std::chrono::milliseconds(0), 0);
  EXPECT_EQ(names(jobs, p.plan(scheduler("lru"), jobs, 1000).order),
            (std::vector<std::string>{"c", "z", "b", "a", "d"}));
}

TEST_F(Scheduling, FailFirstPutsOldestFailureFirstThenLru) {
  auto jobs = recorded();
  PassPlanner p(std::chrono::milliseconds(0), 0);
  EXPECT_EQ(names(jobs, p.plan(scheduler("fail-first"), jobs, 1000).order),
            (std::vector<std::string>{"a", "d", "c", "z", "b"}));
}

TEST_F(Scheduling, CooldownDeprioritisesRecentlyUpdatedApplications) {
  auto jobs = recorded();
  // At 1000 with 800 ms: b (updated at 300) is cooling, a (updated at 100) is not.
  PassPlanner p(std::chrono::milliseconds(800), 0);
  auto order = names(jobs, p.plan(scheduler("lru"), jobs, 1000).order);
  EXPECT_EQ(order, (std::vector<std::string>{"c", "z", "a", "d", "b"}));
  PassPlanner none(std::chrono::milliseconds(0), 0);
  EXPECT_EQ(names(jobs, none.plan(scheduler("lru"), jobs, 1000).order).back(), "d");
}

TEST_F(Scheduling, PerRepoCapLimitsEachRepositoryPerPass) {
  std::vector<SchedJob> jobs;
  for (int i = 0; i < 6; ++i) jobs.push_back(job("argocd", "mono-" + std::to_string(i), "mono"));
  jobs.push_back(job("argocd", "solo", "other"));
  jobs.push_back(job("argocd", "no-repo", ""));
  PassPlanner p(std::chrono::milliseconds(0), 2);
  auto plan = p.plan(scheduler("default"), jobs, 0);
  EXPECT_EQ(names(jobs, plan.order),
            (std::vector<std::string>{"mono-0", "mono-1", "no-repo", "solo"}));
  EXPECT_EQ(plan.deferred.size(), 4u);
  // Deferred applications go first next time, longest waiting first, even with a scheduler that
  // does not rotate by itself.
  EXPECT_EQ(names(jobs, p.plan(scheduler("default"), jobs, 0).order),
            (std::vector<std::string>{"mono-2", "mono-3", "no-repo", "solo"}));
  EXPECT_EQ(names(jobs, p.plan(scheduler("default"), jobs, 0).order),
            (std::vector<std::string>{"mono-4", "mono-5", "no-repo", "solo"}));
  EXPECT_EQ(names(jobs, p.plan(scheduler("default"), jobs, 0).order),
            (std::vector<std::string>{"mono-0", "mono-1", "no-repo", "solo"}));
}

// Fairness measured: a hot monorepo of 200 applications and 20 single-app repositories, cap 10,
// histories updated as a real loop would. Every application must be visited within
// ceil(200 / 10) = 20 passes, and every small repository in every pass.
TEST_F(Scheduling, HotMonorepoCannotStarveAnyone) {
  for (const std::string sched : {"default", "lru", "fail-first"}) {
    std::vector<SchedJob> jobs;
    for (int i = 0; i < 200; ++i)
      jobs.push_back(job("argocd", "mono-" + std::to_string(i), "mono"));
    for (int i = 0; i < 20; ++i)
      jobs.push_back(job("team", "app-" + std::to_string(i), "repo-" + std::to_string(i)));
    PassPlanner p(std::chrono::milliseconds(30000), 10);
    std::map<std::string, int> last_visit;
    int worst_gap = 0;
    const int passes = 60;
    for (int pass = 1; pass <= passes; ++pass) {
      int64_t now = pass * 1000;
      auto plan = p.plan(scheduler(sched), jobs, now);
      for (size_t i : plan.order) {
        auto& j = jobs[i];
        std::string key = j.app_namespace + "/" + j.app_name;
        worst_gap = std::max(worst_gap, pass - last_visit[key]);
        last_visit[key] = pass;
        j.last_attempt_ms = now;
        j.last_result =
            (pass + static_cast<int>(i)) % 7 == 0 ? IU_RESULT_FAILURE : IU_RESULT_SUCCESS;
        if (j.last_result == IU_RESULT_FAILURE) j.last_failure_ms = now;
        if (i % 3 == 0 && j.last_result == IU_RESULT_SUCCESS) j.last_success_ms = now;  // hot apps
      }
      for (int k = 0; k < 20; ++k)
        EXPECT_EQ(last_visit["team/app-" + std::to_string(k)], pass) << sched;
    }
    EXPECT_EQ(last_visit.size(), jobs.size()) << sched;
    for (const auto& [key, pass] : last_visit) EXPECT_GE(pass, passes - 20) << sched << " " << key;
    EXPECT_LE(worst_gap, 20) << sched;
  }
}

}  // namespace
}  // namespace iu::engine
