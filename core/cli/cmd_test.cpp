// `test IMAGE`: resolve the image that would be chosen for IMAGE (SPEC §3.4). Writes nothing.
// Logs go to stderr; on success the last stdout line is
//   latest image according to constraint is <registry/name:tag[@digest]>
// Exit codes: 0 a candidate was found, 1 no candidate (or the registry check failed),
// 2 usage or configuration error.
#include <cstdio>
#include <filesystem>

#include "cli/commands.hpp"
#include "credentials/credential_cache.hpp"
#include "credentials/credential_ref.hpp"
#include "http/http_service.hpp"
#include "log/log.hpp"
#include "model/image_ref.hpp"
#include "model/platform.hpp"
#include "model/tag_filter.hpp"
#include "plugin_host/host_api.hpp"
#include "plugin_host/kinds.hpp"
#include "registries/endpoint_table.hpp"
#include "registries/registries_conf.hpp"
#include "registry/host_services.hpp"
#include "registry/registry_service.hpp"

namespace iu::cli {
namespace {

constexpr const char* kDefaultRegistriesConf = "/app/config/registries.conf";

// IMAGE with the constraint from --semver-constraint when given (only one of them may set it).
model::ImageRef parse_image(const FlagValues& v, const std::string& text) {
  std::string error;
  auto ref = model::parse_image_spec(text, &error);
  if (!ref) throw UsageError("IMAGE: " + error);
  const std::string constraint = v.get("semver-constraint");
  if (!constraint.empty()) {
    if (!ref->version.empty())
      throw UsageError("IMAGE \"" + text + "\" carries the version \"" + ref->version +
                       "\" and --semver-constraint is set too; give it in one place only");
    ref->version = constraint;
  }
  return *ref;
}

model::TagFilter parse_filter(const FlagValues& v) {
  const std::string allow = v.get("allow-tags");
  const auto ignore = v.list("ignore-tags");
  model::TagFilterError error;
  auto filter = model::TagFilter::compile(
      allow.empty() ? std::nullopt : std::optional<std::string_view>(allow), ignore, &error);
  if (filter) return *filter;
  if (error.field == model::TagFilterError::Field::kAllowTags)
    throw UsageError("--allow-tags: " + error.message);
  throw UsageError("--ignore-tags[" + std::to_string(error.index) + "]: " + error.message);
}

std::vector<model::Platform> parse_platforms(const FlagValues& v) {
  std::vector<model::Platform> out;
  for (const auto& text : v.list("platforms")) {
    if (text.empty()) continue;
    std::string error;
    auto p = model::parse_platform(text, &error);
    if (!p) throw UsageError("--platforms: " + error);
    out.push_back(*p);
  }
  return out;
}

// registries.conf from --registries-conf-path; "" means the default path when it exists.
std::shared_ptr<registries::EndpointTable> load_endpoints(const FlagValues& v) {
  std::string path = v.get("registries-conf-path");
  if (path.empty() && std::filesystem::exists(kDefaultRegistriesConf))
    path = kDefaultRegistriesConf;
  std::vector<registries::Endpoint> configured;
  if (!path.empty()) {
    try {
      auto text = registries::read_registries_conf(path);
      if (!text) throw UsageError("--registries-conf-path: " + path + ": no such file");
      auto conf = registries::parse_registries_conf(*text, path);
      registries::log_conf_warnings(conf.warnings);
      configured = std::move(conf.endpoints);
    } catch (const registries::ConfigError& e) {
      throw UsageError(e.what());
    }
  }
  return registries::EndpointTable::with_builtins(std::move(configured));
}

// The strategy named by --update-strategy, created and checked against the version text.
std::unique_ptr<plugin_host::StrategyInstance> make_strategy(const plugin_host::Catalog& catalog,
                                                             const FlagValues& v,
                                                             const model::ImageRef& ref) {
  const std::string name = v.get("update-strategy");
  const plugin_host::Implementation* impl = nullptr;
  try {
    impl = &catalog.resolve(plugin_host::Kind::strategy, name);
  } catch (const plugin_host::UnknownImplementation& e) {
    throw UsageError(std::string("--update-strategy: ") + e.what());
  }
  if (impl->name != name)
    log::warn("update strategy name is deprecated; use the new name",
              {{"name", name}, {"use", impl->name}});
  auto strategy = std::make_unique<plugin_host::StrategyInstance>(*impl, plugin_host::ConfigMap{});
  try {
    strategy->validate(ref.version);
  } catch (const plugin_host::PluginError& e) {
    throw UsageError("IMAGE or --semver-constraint: " + std::string(e.what()));
  }
  return strategy;
}

// Restores the default host services when the command's own ones go out of scope.
struct HostServicesScope {
  explicit HostServicesScope(std::shared_ptr<plugin_host::HostServices> s) {
    plugin_host::set_host_services(std::move(s));
  }
  ~HostServicesScope() { plugin_host::set_host_services(nullptr); }
};

}  // namespace

int cmd_test(const FlagValues& v, const std::string& image) {
  const model::ImageRef ref = parse_image(v, image);
  const model::TagFilter filter = parse_filter(v);
  const auto platforms = parse_platforms(v);
  const std::string pull_secret = v.get("credentials");
  if (!pull_secret.empty()) {
    std::string error;
    if (!credentials::parse_ref(pull_secret, &error)) throw UsageError("--credentials: " + error);
  }
  const long long rate_limit = v.integer("rate-limit");
  if (rate_limit < 0)
    throw UsageError("--rate-limit: negative value " + std::to_string(rate_limit));

  plugin_host::Catalog catalog;
  load_plugins(v, catalog);
  const auto strategy = make_strategy(catalog, v, ref);
  auto table = load_endpoints(v);

  // No Kubernetes client in `test`: secret: and pullsecret: references fail with a clear error.
  auto resolver = std::make_shared<const credentials::Resolver>(nullptr);
  auto http = std::make_shared<http::HttpService>();
  HostServicesScope services(std::make_shared<registry::CoreHostServices>(http, resolver));

  registry::RegistryServiceOptions options;
  options.cache_dir = v.get("cache-dir");
  options.http = http.get();
  if (rate_limit > 0) options.rate_limit_override = static_cast<double>(rate_limit);
  registry::RegistryService service(
      catalog, [table] { return table; }, std::make_shared<credentials::CredentialCache>(resolver),
      options);

  registry::ImageCheck check;
  check.image = ref;
  check.strategy = strategy.get();
  check.filter = filter;
  check.platforms = platforms;
  check.pull_secret = pull_secret;
  // Nothing is written, so a winner inside the tag-digest TTL needs no extra confirmation.
  check.confirm_winner = false;

  const std::string name = model::full_name(ref);
  log::info("retrieving information about image", {{"image_name", name},
                                                   {"image_registry", ref.registry},
                                                   {"strategy", strategy->implementation().name},
                                                   {"version", ref.version}});
  registry::CheckResult result;
  try {
    result = service.check(check);
  } catch (const std::exception& e) {
    log::error(std::string("could not get the image's tags: ") + e.what(), {{"image_name", name}});
    return 1;
  }
  const auto& sel = result.selection;
  log::info("found tags in registry", {{"image_name", name},
                                       {"registry", registry::endpoint_key(*result.endpoint)},
                                       {"repository", result.repository},
                                       {"tags", std::to_string(sel.tags_listed)},
                                       {"allowed", std::to_string(sel.tags_allowed)},
                                       {"candidates", std::to_string(sel.candidates)}});
  if (!sel.winner) {
    log::warn(sel.reason, {{"image_name", name}});
    return 1;
  }
  std::string chosen = name + ":" + sel.winner->tag;
  if (strategy->result() == IU_RESULT_FRESH_DIGEST) chosen += "@" + sel.winner->digest;
  std::printf("latest image according to constraint is %s\n", chosen.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace iu::cli
