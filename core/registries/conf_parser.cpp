#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "log/log.hpp"
#include "registries/conf_entry.hpp"
#include "registries/registries_conf.hpp"

namespace iu::registries {
namespace {

using detail::ParseContext;

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

YAML::Node load_yaml(std::string_view yaml, std::string_view source) {
  try {
    return YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    throw ConfigError(std::string(source) + ": invalid YAML at line " +
                      std::to_string(e.mark.line + 1) + ", column " +
                      std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

// The checks that involve several entries: unique prefixes and a single default.
void check_entries(const std::vector<Endpoint>& endpoints, const YAML::Node& list,
                   const ParseContext& ctx) {
  std::map<std::string, int> prefixes;
  int default_index = -1;
  for (const Endpoint& e : endpoints) {
    const std::string where = "registries[" + std::to_string(e.index) + "]";
    const YAML::Node node = list[static_cast<size_t>(e.index)];
    if (!e.prefix.empty()) {
      auto [it, inserted] = prefixes.emplace(e.prefix, e.index);
      if (!inserted)
        detail::fail(ctx, where + ".prefix",
                     "duplicate prefix " + quote(e.prefix) + " (also used by registries[" +
                         std::to_string(it->second) + "])",
                     node["prefix"]);
    }
    if (e.is_default) {
      if (default_index >= 0)
        detail::fail(ctx, where + ".default",
                     "only one entry may be the default (registries[" +
                         std::to_string(default_index) + "] already is)",
                     node["default"]);
      default_index = e.index;
    }
  }
}

}  // namespace

RegistriesConf parse_registries_conf(std::string_view yaml, std::string_view source_name) {
  RegistriesConf conf;
  ParseContext ctx{source_name, &conf.warnings};
  const YAML::Node root = load_yaml(yaml, source_name);
  if (root.IsNull()) return conf;
  if (!root.IsMap())
    throw ConfigError(std::string(source_name) + ": expected a mapping with key \"registries\"" +
                      detail::line_of(root));
  YAML::Node list;
  bool found = false;
  for (const auto& kv : root) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    if (key != "registries")
      throw ConfigError(std::string(source_name) + ": unknown key " + quote(key) +
                        detail::line_of(kv.first));
    if (found)
      throw ConfigError(std::string(source_name) + ": duplicate key \"registries\"" +
                        detail::line_of(kv.first));
    list = kv.second;
    found = true;
  }
  if (!found || list.IsNull()) return conf;
  if (!list.IsSequence())
    throw ConfigError(std::string(source_name) + ": registries: expected a list" +
                      detail::line_of(list));
  for (size_t i = 0; i < list.size(); ++i)
    conf.endpoints.push_back(detail::parse_entry(list[i], static_cast<int>(i), ctx));
  check_entries(conf.endpoints, list, ctx);
  // The ping warning is one line however many entries carry the key.
  std::set<std::string> unique;
  std::erase_if(conf.warnings, [&](const std::string& w) { return !unique.insert(w).second; });
  return conf;
}

std::optional<std::string> read_registries_conf(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::nullopt;
    throw ConfigError("registries.conf: cannot read " + quote(path.string()) + ": " +
                      std::strerror(errno));
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError("registries.conf: cannot read " + quote(path.string()) + ": Is a directory");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw ConfigError("registries.conf: cannot read " + quote(path.string()));
  return content.str();
}

void log_conf_warnings(const std::vector<std::string>& warnings) {
  static std::mutex mu;
  static std::set<std::string> logged;
  for (const std::string& w : warnings) {
    std::lock_guard lock(mu);
    if (logged.insert(w).second) log::warn(w);
  }
}

}  // namespace iu::registries
