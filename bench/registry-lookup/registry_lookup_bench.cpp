// registry-lookup benchmark, the C++ side: N applications share K images; C workers check every
// application once (one pass) through the registry service, exactly as the engine does: the
// tag-list cache and its singleflight must make it K tag-list requests, not N.
// Prints `key=value` lines for run.sh; see README.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "credentials/credential_cache.hpp"
#include "http/http_service.hpp"
#include "log/log.hpp"
#include "plugin_host/host_api.hpp"
#include "plugin_host/kinds.hpp"
#include "plugin_host/loader.hpp"
#include "registries/endpoint_table.hpp"
#include "registry/host_services.hpp"
#include "registry/registry_service.hpp"

namespace {

struct Args {
  std::string registry = "127.0.0.1:5000";
  std::string pattern = "bench/app-{i}";
  std::string plugin_dir;
  std::string constraint = "~1";
  long images = 1000, apps = 10000, concurrency = 10;
};

// The command line (CLI11): --help prints it; a bad value exits 2 with CLI11's message.
Args parse(int argc, char** argv) {
  Args a;
  CLI::App app{"registry-lookup benchmark, the C++ side (see README.md)",
               "iu_bench_registry_lookup"};
  app.add_option("--registry", a.registry, "registry (or counting proxy) HOST:PORT")
      ->capture_default_str();
  app.add_option("--plugin-dir", a.plugin_dir, "folder of the built plugins")->required();
  app.add_option("--images", a.images, "K distinct images")->check(CLI::Range(1L, 10'000'000L));
  app.add_option("--apps", a.apps, "N applications sharing them (N >= K)")
      ->check(CLI::Range(1L, 10'000'000L));
  app.add_option("--concurrency", a.concurrency, "lookups in flight")
      ->check(CLI::Range(1L, 1'000L));
  app.add_option("--pattern", a.pattern, "repository name, {i} = image index")
      ->capture_default_str();
  app.add_option("--constraint", a.constraint, "semver constraint")->capture_default_str();
  try {
    app.parse(argc, argv);
    if (a.apps < a.images) throw CLI::ValidationError("--apps", "must be at least --images");
  } catch (const CLI::ParseError& e) {
    std::exit(app.exit(e) == 0 ? 0 : 2);
  }
  return a;
}

std::string repo(const Args& a, long i) {
  std::string r = a.pattern;
  r.replace(r.find("{i}"), 3, std::to_string(i));
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  iu::log::configure(iu::log::Level::warn, iu::log::Format::text);
  iu::plugin_host::Catalog catalog;
  iu::plugin_host::load_directories({a.plugin_dir}, catalog);
  auto strategy = std::make_unique<iu::plugin_host::StrategyInstance>(
      catalog.resolve(iu::plugin_host::Kind::strategy, "semver"), iu::plugin_host::ConfigMap{});
  auto table = iu::registries::EndpointTable::with_builtins({});
  auto resolver = std::make_shared<const iu::credentials::Resolver>(nullptr);
  auto http = std::make_shared<iu::http::HttpService>();
  iu::plugin_host::set_host_services(
      std::make_shared<iu::registry::CoreHostServices>(http, resolver));
  iu::registry::RegistryServiceOptions options;
  options.http = http.get();
  options.rate_limit_override = 0;  // unlimited: measure the service, not the token bucket
  auto service = std::make_unique<iu::registry::RegistryService>(
      catalog, [table] { return table; },
      std::make_shared<iu::credentials::CredentialCache>(resolver), options);

  // Application i uses image perm[i % K]: every image is used, shared by ~N/K applications,
  // and neighbours in the work order mostly use different images.
  std::vector<long> perm(static_cast<size_t>(a.images));
  for (long i = 0; i < a.images; ++i) perm[static_cast<size_t>(i)] = i;
  std::shuffle(perm.begin(), perm.end(), std::mt19937(42));
  std::vector<iu::model::ImageRef> refs;
  for (long i = 0; i < a.images; ++i)
    refs.push_back(
        *iu::model::parse_image_spec(a.registry + "/" + repo(a, i) + ":" + a.constraint));

  service->begin_pass();
  std::atomic<long> next{0}, found{0}, failed{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::jthread> workers;
  for (long w = 0; w < a.concurrency; ++w)
    workers.emplace_back([&] {
      for (long app; (app = next.fetch_add(1)) < a.apps;) {
        iu::registry::ImageCheck check;
        check.image = refs[static_cast<size_t>(perm[static_cast<size_t>(app % a.images)])];
        check.strategy = strategy.get();
        try {
          if (service->check(check).selection.winner) ++found;
        } catch (const std::exception& e) {
          if (failed++ == 0) std::fprintf(stderr, "first failure: %s\n", e.what());
        }
      }
    });
  workers.clear();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("apps=%ld\nimages=%ld\nconcurrency=%ld\nfound=%ld\nfailed=%ld\nseconds=%.3f\n",
              a.apps, a.images, a.concurrency, found.load(), failed.load(), seconds);
  service.reset();
  iu::plugin_host::set_host_services(nullptr);
  return failed.load() == 0 ? 0 : 1;
}
