// `test IMAGE`: resolve the tag that would be chosen for IMAGE (SPEC §3.4). Writes nothing.
#include "cli/commands.hpp"
#include "log/log.hpp"
#include "plugin_host/kinds.hpp"

namespace iu::cli {

int cmd_test(const FlagValues& v, const std::string& image) {
  plugin_host::Catalog catalog;
  load_plugins(v, catalog);
  std::string strategy_name = v.get("update-strategy");
  const plugin_host::Implementation* strategy = nullptr;
  try {
    strategy = &catalog.resolve(plugin_host::Kind::strategy, strategy_name);
  } catch (const plugin_host::UnknownImplementation& e) {
    throw UsageError(std::string("--update-strategy: ") + e.what());
  }
  if (strategy->name != strategy_name)
    log::warn("update strategy name is deprecated; use the new name",
              {{"name", strategy_name}, {"use", strategy->name}});
  plugin_host::StrategyInstance inst(*strategy, {});
  try {
    inst.validate(v.get("semver-constraint"));
  } catch (const plugin_host::PluginError& e) {
    throw UsageError(std::string("--semver-constraint: ") + e.what());
  }
  try {
    catalog.resolve(plugin_host::Kind::registry, "docker-v2");
  } catch (const plugin_host::UnknownImplementation& e) {
    log::error(std::string("cannot look up ") + image + ": " + e.what());
    return 2;
  }
  log::error("registry lookups are not part of this build yet (registry service: issue #4)");
  return 2;
}

}  // namespace iu::cli
