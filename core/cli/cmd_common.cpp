#include <unistd.h>

#include <set>

#include "cli/commands.hpp"
#include "log/log.hpp"
#include "plugin_host/loader.hpp"

namespace iu::cli {

void apply_logging(const FlagValues& values) {
  auto level = log::parse_level(values.get("loglevel"));
  auto format = log::parse_format(values.get("logformat"));
  if (!level) throw UsageError("--loglevel: invalid value \"" + values.get("loglevel") + "\"");
  if (!format) throw UsageError("--logformat: invalid value \"" + values.get("logformat") + "\"");
  log::configure(*level, *format);
}

std::vector<std::filesystem::path> plugin_search_path(const FlagValues& values) {
  std::vector<std::filesystem::path> dirs;
  if (values.from_user("plugin-dir"))
    dirs = plugin_host::split_plugin_dirs({values.get("plugin-dir")});
  // Defaults: the layout relative to the binary (the build tree mirrors the install), then the
  // configured install directory.
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    std::filesystem::path exe_dir =
        std::filesystem::path(std::string(buf, static_cast<size_t>(n))).parent_path();
    dirs.push_back(exe_dir / ".." / "lib" / "argocd-image-updater" / "plugins");
  }
  dirs.emplace_back(IU_DEFAULT_PLUGIN_DIR);
  std::vector<std::filesystem::path> out;
  std::set<std::filesystem::path> seen;
  for (const auto& d : dirs) {
    std::error_code ec;
    auto canon = std::filesystem::weakly_canonical(d, ec);
    if (ec) canon = d;
    if (seen.insert(canon).second) out.push_back(canon);
  }
  return out;
}

void load_plugins(const FlagValues& values, plugin_host::Catalog& catalog) {
  auto dirs = plugin_search_path(values);
  std::vector<std::filesystem::path> explicit_dirs;
  if (values.from_user("plugin-dir"))
    explicit_dirs = plugin_host::split_plugin_dirs({values.get("plugin-dir")});
  for (const auto& d : dirs) {
    bool is_explicit = false;
    for (const auto& e : explicit_dirs) {
      std::error_code ec;
      if (std::filesystem::weakly_canonical(e, ec) == d) is_explicit = true;
    }
    // Default locations that do not exist are normal (build tree vs install); explicit ones warn.
    plugin_host::load_directories({d}, catalog, is_explicit);
  }
}

}  // namespace iu::cli
