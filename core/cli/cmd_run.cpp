// `run` and `webhook`: startup validation and wiring (SPEC §3.3, §10). The update loop itself
// (sources, registry service, write-back queue) is assembled from the catalog resolved here.
#include <algorithm>
#include <thread>

#include "cli/commands.hpp"
#include "log/log.hpp"
#include "plugin_host/kinds.hpp"
#include "util/duration.hpp"

namespace iu::cli {
namespace {

void log_effective_settings(const FlagValues& v) {
  for (const auto& [name, value] : v.all()) {
    bool secret = name.find("secret") != std::string::npos && name != "webhook-require-secret";
    std::string shown = secret ? (value.empty() ? "" : "*****") : value;
    // Every effective setting at start (issue #7), with where it came from.
    log::info("setting", {{"flag", name}, {"value", shown}, {"source", v.sources().at(name)}});
  }
}

}  // namespace

int cmd_run(const FlagValues& v, bool webhook_only) {
  const std::string source = v.get("source");
  if (source == "dir" && v.get("dir").empty())
    throw UsageError("--source dir needs --dir PATH (the directory holding the manifests)");
  if (!webhook_only) {
    auto interval = util::parse_duration(v.get("interval"));
    if (v.boolean("once")) interval = std::chrono::nanoseconds(0);
    if (interval->count() > 0 && *interval < std::chrono::minutes(1))
      log::warn("interval below 1m puts load on registries and repositories",
                {{"interval", v.get("interval")}});
    if (v.from_user("max-concurrent-reconciles"))
      log::info(
          "--max-concurrent-reconciles is accepted for compatibility and has no effect; "
          "work is scheduled per application (see --max-concurrency)");
    long long conc = v.integer("max-concurrency");
    if (conc < 0) throw UsageError("--max-concurrency: must be >= 0");
    if (conc == 0) {
      unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
      long long chosen = std::min<long long>(64, 4LL * cpus);
      log::info("max-concurrency auto sizing: min(64, 4 x CPUs)",
                {{"cpus", std::to_string(cpus)}, {"max_concurrency", std::to_string(chosen)}});
    }
    if (v.integer("shard-count") < 1) throw UsageError("--shard-count: must be >= 1");
    if (v.integer("per-repo-cap") < 0) throw UsageError("--per-repo-cap: must be >= 0");
  }
  long long port = v.integer("webhook-port");
  if (port < 0 || port > 65535) throw UsageError("--webhook-port: must be within 0-65535");

  log::info(webhook_only ? "Starting argocd-image-updater webhook server"
                         : "Starting argocd-image-updater",
            {{"version", IU_VERSION}});
  log_effective_settings(v);

  plugin_host::Catalog catalog;
  load_plugins(v, catalog);
  for (const auto& r : catalog.rejections()) log::warn("plugin rejected", {{"reason", r.reason}});
#ifdef IU_HAVE_ENGINE
  if (webhook_only) {
    long long updaters = v.integer("max-concurrent-updaters");
    if (updaters < 1) throw UsageError("--max-concurrent-updaters: must be >= 1");
    // The webhook command runs on run's machinery with run's defaults for what it lacks.
    return run_engine(v.completed_with(run_flags()), catalog, RunMode{true, updaters});
  }
  try {
    catalog.resolve(plugin_host::Kind::scheduler, v.get("schedule"));
  } catch (const plugin_host::UnknownImplementation& e) {
    throw UsageError(std::string("--schedule: ") + e.what());
  }
  return run_engine(v, catalog);
#else
  log::error(
      "the update loop is not part of this build: the registry service and HTTP transport "
      "are not integrated yet (engine: issue #7); configuration and plugins were validated");
  return 2;
#endif
}

}  // namespace iu::cli
