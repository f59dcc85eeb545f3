// The engine: one pass over the managed applications (SPEC §10.1, §10.4) — load the
// configuration, order the work, process applications on a worker pool, flush the write-back
// queue, record history, metrics, the summary line and the optional JSON report.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/resolve.hpp"
#include "engine/app_processor.hpp"
#include "engine/history.hpp"
#include "engine/pass_scope.hpp"
#include "engine/pass_plan.hpp"
#include "engine/pass_record.hpp"
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

 private:
  const plugin_host::StrategyInstance& strategy(const std::string& name);
  const plugin_host::WritebackInstance& writeback(const std::string& name);
  config::Snapshot load_snapshot();
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
