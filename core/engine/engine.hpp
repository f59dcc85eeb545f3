// The engine: one pass over the managed applications (SPEC §10.1, §10.4) — load the
// configuration, order the work, process applications on a worker pool, flush the write-back
// queue, record history, metrics, the summary line and the optional JSON report.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/resolve.hpp"
#include "engine/app_processor.hpp"
#include "engine/history.hpp"
#include "engine/pass_plan.hpp"
#include "engine/pass_record.hpp"
#include "engine/pass_scope.hpp"
#include "engine/write_queue.hpp"
#include "plugin_host/catalog.hpp"

namespace iu::engine {

struct EngineOptions {
  config::SourceKind source = config::SourceKind::kDir;
  std::filesystem::path dir;  // --dir
  std::string argocd_namespace = "argocd";
  std::vector<model::Glob> name_globs;
  std::optional<config::LabelSelector> label_selector;
  bool dry_run = false;
  unsigned max_concurrency = 10;
  std::string schedule = "default";
  std::chrono::milliseconds cooldown{0};
  int per_repo_cap = 0;
  std::filesystem::path report;  // --report; empty = none
  bool batch_disabled = false;   // GIT_BATCH_DISABLE
  // Write-back plugin configuration offered by the host (from flags); each plugin receives
  // the keys it declares.
  std::map<std::string, std::string> writeback_settings;
  // Kubernetes side (core/kube): the crd/annotations snapshot, and the end-of-pass observer
  // (events, ImageUpdater status). Null = dir source only / no observer.
  SnapshotLoader snapshot_loader;
  PassObserver pass_observer;
  // Graceful shutdown: once true, a pass starts no further application (those in flight
  // finish and queued writes are still flushed). Null = never.
  std::function<bool()> stop_requested;
};

// The continuous loop (SPEC §10.1, `--loop continuous`).
struct ContinuousOptions {
  std::chrono::milliseconds interval{120000};       // per-application period; re-listing period
  std::chrono::milliseconds batch_window{5000};     // --git-batch-window: flush after quiet
  std::chrono::milliseconds batch_max_wait{60000};  // --git-batch-max-wait: flush at the latest
  std::chrono::milliseconds tick{1000};             // the light pass that dispatches due work
};

struct PassSummary {
  int applications = 0;
  int images_considered = 0;
  int images_skipped = 0;
  int images_updated = 0;
  int errors = 0;
};

class Engine {
 public:
  Engine(EngineOptions options, const plugin_host::Catalog& catalog,
         registry::RegistryService& registry, HistoryStore& history);
  ~Engine();

  // One full pass, or with `scope` a webhook-triggered pass over only the applications and
  // images it names. Configuration errors are logged and counted; the pass goes on. Passes
  // never overlap: a call waits for the one running.
  PassSummary run_pass(const PassScope* scope = nullptr);

  // For each target (same order), the applications of `snapshot` a webhook-scoped pass over it
  // would check, resolved as a pass resolves them (issues are not logged). Thread-safe; used to
  // hand the parts of an event that belong to other shards over to them (SPEC §12.4).
  std::vector<std::vector<config::ObjectRef>> affected(const config::Snapshot& snapshot,
                                                       const std::vector<ImageTarget>& targets);

  // The continuous loop: every application is due `interval` after its last check ended; a
  // light pass every tick dispatches the due ones in scheduler order (cooldown applies; the
  // per-repo cap counts per interval) to the worker pool, never an application twice at once.
  // Webhook targets returned by `wait_triggers` (which blocks up to the given time) are
  // dispatched at once. Write intents go to one queue flushed after `batch_window` of quiet or
  // at `batch_max_wait`. Configuration is re-listed, the summary line logged and the observer
  // called once per interval. Returns when `stopping()` is true, after the work in flight has
  // finished and queued writes were flushed; `on_tick` runs after every light pass.
  void run_continuous(
      const ContinuousOptions& options, const std::function<bool()>& stopping,
      const std::function<std::vector<ImageTarget>(std::chrono::milliseconds)>& wait_triggers,
      const std::function<void()>& on_tick);

 private:
  const plugin_host::StrategyInstance& strategy(const std::string& name);
  const plugin_host::WritebackInstance& writeback(const std::string& name);
  config::Snapshot load_snapshot();
  config::MatchOptions match_options();
  std::vector<plugin_host::SchedJob> jobs_for(
      const std::vector<config::ManagedApplication>& managed) const;
  ProcessContext process_context(const config::Snapshot* snapshot, const PassScope* scope);
  // Queues the outcome's write intent (not in dry run). True when queued.
  bool hand_over(AppOutcome& outcome, WriteQueue& queue);
  // History, metrics and summary counts of one processed application.
  void record_app(const config::ManagedApplication& app, AppOutcome& outcome,
                  const WriteOutcome* write, PassSummary& summary);
  void publish_watched(const std::vector<config::ManagedApplication>& managed);
  void write_report(const std::vector<AppOutcome>& apps, const std::vector<WriteOutcome>& writes,
                    const std::vector<config::ConfigIssue>& issues, const PassSummary& summary);

  EngineOptions options_;
  const plugin_host::Catalog& catalog_;
  registry::RegistryService& registry_;
  HistoryStore& history_;
  std::unique_ptr<plugin_host::SchedulerInstance> scheduler_;
  PassPlanner planner_;
  std::mutex pass_mu_;
  std::mutex instances_mu_;
  std::map<std::string, std::unique_ptr<plugin_host::StrategyInstance>> strategies_;
  std::map<std::string, std::unique_ptr<plugin_host::WritebackInstance>> writebacks_;
};

}  // namespace iu::engine
