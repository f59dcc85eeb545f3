// Sub-command entry points. Each returns the process exit code (SPEC §3.2: 0 ok, 1 pass
// finished with errors / no candidate, 2 usage or fatal configuration error).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "cli/flag_table.hpp"
#include "plugin_host/catalog.hpp"

namespace iu::cli {

// Applies --loglevel / --logformat. Throws UsageError on bad values.
void apply_logging(const FlagValues& values);

// The plugin search path: --plugin-dir values first, then the build-tree and install defaults.
std::vector<std::filesystem::path> plugin_search_path(const FlagValues& values);

// Loads every plugin on the search path into `catalog`.
void load_plugins(const FlagValues& values, plugin_host::Catalog& catalog);

int cmd_version(bool short_form);
// with_probe: create each implementation and call it once on sample input.
int cmd_plugins(const FlagValues& values, const std::string& output, bool with_probe);
int cmd_run(const FlagValues& values, bool webhook_only);
// Builds the services (HTTP, credentials, registries, registry service, history) and runs the
// engine: one pass with --once / --interval 0, else a pass every --interval until SIGTERM/SIGINT.
// `webhook_only` (the `webhook` command): no periodic passes; the webhook endpoint is always
// served and every event is processed at once, by `max_concurrency` workers.
struct RunMode {
  bool webhook_only = false;
  long long max_concurrency = 0;  // webhook_only: --max-concurrent-updaters
};
int run_engine(const FlagValues& values, const plugin_host::Catalog& catalog,
               const RunMode& mode = {});
int cmd_test(const FlagValues& values, const std::string& image);
int cmd_template(const std::string& path);

}  // namespace iu::cli
