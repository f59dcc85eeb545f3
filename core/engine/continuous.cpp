// The continuous loop (SPEC §10.1): per-application due times instead of whole passes.
//
// One thread (the caller's) owns the schedule: it re-lists the configuration once per
// interval, dispatches due applications and webhook targets to the worker pool, flushes the
// write queue by its batch window and records finished applications. Workers only process an
// application and hand back its outcome. An application is never in flight twice: the
// in-flight set is checked before every dispatch.
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <set>

#include "config/resolve.hpp"
#include "engine/engine.hpp"
#include "log/log.hpp"
#include "registry/registry_service.hpp"

namespace iu::engine {
namespace {

using Clock = std::chrono::steady_clock;

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The configuration as listed at the start of an interval. Managed applications point into
// the snapshot, so both live (and die) together; work in flight holds a reference.
struct Listing {
  config::Snapshot snapshot;
  std::vector<config::ManagedApplication> managed;
  std::vector<config::ConfigIssue> issues;
};

std::string app_key(const config::ManagedApplication& m) {
  return m.app->ref.ns + "/" + m.app->ref.name;
}

// One processed application waiting to be recorded (after its write, if it queued one).
struct Finished {
  std::shared_ptr<const Listing> listing;
  size_t index = 0;
  AppOutcome outcome;
  bool queued = false;
};

}  // namespace

void Engine::run_continuous(
    const ContinuousOptions& opt, const std::function<bool()>& stopping,
    const std::function<std::vector<ImageTarget>(std::chrono::milliseconds)>& wait_triggers,
    const std::function<void()>& on_tick) {
  std::lock_guard pass_lock(pass_mu_);
  PassPlanner order_only(options_.cooldown, 0);  // the cap counts per interval, below
  std::mutex mu;
  std::condition_variable idle_cv;
  std::set<std::string> in_flight;               // under mu
  std::map<std::string, Clock::time_point> due;  // absent = due now; under mu
  std::vector<Finished> finished;                // under mu
  Clock::time_point first_queued{}, last_queued{};
  WriteQueue queue(
      [this](const std::string& n) -> const plugin_host::WritebackInstance& {
        return writeback(n);
      },
      options_.batch_disabled);
  boost::asio::thread_pool pool(std::max(1u, options_.max_concurrency));

  // Window state: one interval's worth of recorded applications, for the summary line and
  // the observer.
  std::shared_ptr<Listing> listing;
  Clock::time_point window_start = Clock::now();
  std::map<std::string, int> repo_count;
  std::vector<Finished> recorded;
  std::vector<WriteOutcome> window_writes;
  std::map<std::string, WriteOutcome> awaiting_write;  // by app key, from flushes
  PassSummary summary;
  // Webhook work for applications that were in flight when their event came: by app key.
  std::map<std::string, std::shared_ptr<const PassScope>> deferred;

  auto relist = [&] {
    auto next = std::make_shared<Listing>();
    try {
      next->snapshot = load_snapshot();
      next->managed = config::resolve(next->snapshot, match_options(), &next->issues);
    } catch (const std::exception& e) {
      log::error(std::string("continuous: cannot list the configuration: ") + e.what());
      if (listing) return;  // keep working on the previous listing
    }
    config::log_issues(next->issues);
    publish_watched(next->managed);
    listing = std::move(next);
    registry_.begin_pass();
    log::info("continuous: listed " + std::to_string(listing->managed.size()) + " application(s)");
  };

  auto dispatch = [&](size_t index, std::shared_ptr<const PassScope> scope) {
    std::shared_ptr<const Listing> l = listing;
    const std::string key = app_key(l->managed[index]);
    {
      std::lock_guard lock(mu);
      in_flight.insert(key);
    }
    boost::asio::post(pool, [&, l, index, scope, key] {
      const auto& m = l->managed[index];
      log::debug("continuous: start", {{"application", m.app->ref.name}});
      Finished f{l, index, {}, false};
      try {
        ProcessContext ctx = process_context(&l->snapshot, scope.get());
        f.outcome = process_application(m, ctx);
        f.queued = hand_over(f.outcome, queue);
      } catch (const std::exception& e) {
        f.outcome.app_namespace = m.app->ref.ns;
        f.outcome.app_name = m.app->ref.name;
        f.outcome.error = e.what();
        ++f.outcome.errors;
        log::error(e.what(), {{"application", m.app->ref.name}});
      }
      log::debug("continuous: finished", {{"application", m.app->ref.name}});
      std::lock_guard lock(mu);
      in_flight.erase(key);
      if (!scope) due[key] = Clock::now() + opt.interval;
      if (f.queued) {
        if (first_queued == Clock::time_point{}) first_queued = Clock::now();
        last_queued = Clock::now();
      }
      finished.push_back(std::move(f));
      idle_cv.notify_all();
    });
  };

  // Records what finished; applications with a queued write wait for its outcome.
  auto record_finished = [&] {
    std::vector<Finished> done;
    {
      std::lock_guard lock(mu);
      done.swap(finished);
    }
    std::vector<Finished> still_waiting;
    for (auto& f : done) {
      if (f.queued) {
        auto it = awaiting_write.find(f.outcome.app_namespace + "/" + f.outcome.app_name);
        if (it == awaiting_write.end()) {
          still_waiting.push_back(std::move(f));
          continue;
        }
        record_app(f.listing->managed[f.index], f.outcome, &it->second, summary);
        window_writes.push_back(std::move(it->second));
        awaiting_write.erase(it);
      } else {
        record_app(f.listing->managed[f.index], f.outcome, nullptr, summary);
      }
      recorded.push_back(std::move(f));
    }
    if (!still_waiting.empty()) {
      std::lock_guard lock(mu);
      for (auto& f : still_waiting) finished.push_back(std::move(f));
    }
    history_.save();
  };

  auto flush = [&] {
    {
      std::lock_guard lock(mu);
      first_queued = last_queued = Clock::time_point{};
    }
    for (auto& w : queue.flush()) awaiting_write[w.app_namespace + "/" + w.app_name] = w;
  };

  // End of an interval (or of the loop): wait for the work in flight, flush, record, report.
  auto close_window = [&] {
    {
      std::unique_lock lock(mu);
      idle_cv.wait(lock, [&] { return in_flight.empty(); });
    }
    flush();
    record_finished();
    log::info("Processing results: applications=" + std::to_string(summary.applications) +
              " images_considered=" + std::to_string(summary.images_considered) +
              " images_skipped=" + std::to_string(summary.images_skipped) + " images_updated=" +
              std::to_string(summary.images_updated) + " errors=" + std::to_string(summary.errors));
    if (options_.pass_observer && listing) {
      std::vector<size_t> order;
      std::vector<AppOutcome> outcomes;
      for (const auto& f : recorded)
        if (f.listing == listing) {
          order.push_back(f.index);
          outcomes.push_back(f.outcome);
        }
      options_.pass_observer(PassRecord{listing->snapshot, listing->managed, order, outcomes,
                                        window_writes, listing->issues, summary, options_.dry_run,
                                        false});
    }
    recorded.clear();
    window_writes.clear();
    summary = PassSummary{};
    repo_count.clear();
  };

  relist();
  log::info("Starting continuous update loop, considering " +
            std::to_string(listing ? listing->managed.size() : 0) + " application(s)");
  while (!stopping()) {
    const auto now = Clock::now();
    if (now - window_start >= opt.interval) {
      close_window();
      relist();
      window_start = now;
    }
    // Due applications, in scheduler order (cooldown applied), capped per repository.
    std::vector<size_t> due_index;
    {
      std::lock_guard lock(mu);
      for (size_t i = 0; i < listing->managed.size(); ++i) {
        const std::string key = app_key(listing->managed[i]);
        if (in_flight.count(key) != 0) continue;
        auto d = due.find(key);
        if (d != due.end() && d->second > now) continue;
        due_index.push_back(i);
      }
    }
    if (!due_index.empty()) {
      std::vector<config::ManagedApplication> subset;
      for (size_t i : due_index) subset.push_back(listing->managed[i]);
      std::vector<plugin_host::SchedJob> jobs = jobs_for(subset);
      try {
        PassPlan plan = order_only.plan(*scheduler_, jobs, unix_ms());
        for (size_t k : plan.order) {
          if (options_.per_repo_cap > 0) {
            int& n = repo_count[jobs[k].repository];
            if (n >= options_.per_repo_cap) continue;  // waits for the next interval
            ++n;
          }
          dispatch(due_index[k], nullptr);
        }
      } catch (const std::exception& e) {
        log::error(std::string("continuous: scheduling failed: ") + e.what());
      }
    }
    // Batches: flush after a quiet period, or when the oldest intent is old enough.
    bool flush_now = false;
    {
      std::lock_guard lock(mu);
      flush_now = first_queued != Clock::time_point{} &&
                  (Clock::now() - last_queued >= opt.batch_window ||
                   Clock::now() - first_queued >= opt.batch_max_wait);
    }
    if (flush_now) flush();
    record_finished();
    on_tick();

    // Webhook targets: the named applications at once (those in flight on a later tick).
    std::vector<ImageTarget> targets = wait_triggers(opt.tick);
    std::map<std::string, std::shared_ptr<const PassScope>> to_dispatch;
    to_dispatch.swap(deferred);
    if (!targets.empty()) {
      auto scope = std::make_shared<const PassScope>(std::move(targets));
      for (const auto& m : listing->managed)
        for (const auto& img : m.images)
          if (scope->match(img.ref) != nullptr) to_dispatch[app_key(m)] = scope;
    }
    for (size_t i = 0; i < listing->managed.size() && !to_dispatch.empty(); ++i) {
      auto it = to_dispatch.find(app_key(listing->managed[i]));
      if (it == to_dispatch.end()) continue;
      bool busy;
      {
        std::lock_guard lock(mu);
        busy = in_flight.count(it->first) != 0;
      }
      if (busy)
        deferred.insert(*it);
      else
        dispatch(i, it->second);
      to_dispatch.erase(it);
    }
  }
  log::info("continuous: stopping; waiting for the work in flight and flushing queued writes");
  close_window();
  pool.join();
}

}  // namespace iu::engine
