// The registry service over an endpoint table whose entries use the fake registry plugin:
// endpoint lookup, one plugin instance per endpoint, credential precedence and the auth retry
// through the real credential cache, and errors that name the registry.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "fake_registry.hpp"
#include "metrics/registry.hpp"
#include "registry/registry_service.hpp"

namespace iu::registry {
namespace {

using test::CallCounts;

class Service : public testing::Test {
 protected:
  Service() : fixture_(dir_.path() / "registry.json") {
    fixture_.tag("team/web", "1.0.0", fixture_.image("1.0.0", "2024-01-01T00:00:00Z"));
    fixture_.tag("team/web", "1.1.0", fixture_.image("1.1.0", "2024-02-01T00:00:00Z"));
    fixture_.tag("library/solo", "2.0.0", fixture_.image("solo", "2024-02-01T00:00:00Z"));
    fixture_.write();
  }

  registries::Endpoint endpoint(const std::string& prefix) {
    registries::Endpoint e;
    e.name = fixture_.file().string();  // the fake plugin reads its fixture from `name`
    e.prefix = prefix;
    e.api_url = "http://" + prefix;
    e.plugin = "fake";
    return e;
  }

  std::unique_ptr<RegistryService> make(std::vector<registries::Endpoint> endpoints) {
    table_ = registries::EndpointTable::with_builtins(std::move(endpoints));
    auto resolver = std::make_shared<const credentials::Resolver>(nullptr);
    RegistryServiceOptions options;
    options.cache_dir = dir_.path() / "cache";
    return std::make_unique<RegistryService>(
        test::test_catalog(), [this] { return table_; },
        std::make_shared<credentials::CredentialCache>(resolver), options);
  }

  ImageCheck check(const std::string& image, const std::string& strategy = "semver") {
    strategies_.push_back(std::make_unique<plugin_host::StrategyInstance>(
        test::test_catalog().resolve(plugin_host::Kind::strategy, strategy),
        plugin_host::ConfigMap{}));
    ImageCheck c;
    c.image = *model::parse_image_spec(image);
    c.strategy = strategies_.back().get();
    return c;
  }

  // An ext: helper printing `u:<first>` on its first run and `u:<later>` afterwards.
  std::string rotating_helper(const std::string& first, const std::string& later) {
    const auto script = dir_.path() / "creds.sh";
    const auto counter = dir_.path() / "creds.count";
    std::ofstream(script) << "#!/bin/sh\nif [ -e " << counter.string()
                          << " ]; then echo u:" << later << "; else touch " << counter.string()
                          << "; echo u:" << first << "; fi\n";
    ::chmod(script.c_str(), 0755);
    return "ext:" + script.string();
  }

  test::TempDir dir_;
  test::FakeRegistryFixture fixture_;
  std::shared_ptr<registries::EndpointTable> table_;
  std::vector<std::unique_ptr<plugin_host::StrategyInstance>> strategies_;
};

TEST_F(Service, ChecksAnImageThroughItsEndpoint) {
  auto service = make({endpoint("reg.example:5000")});
  auto r = service->check(check("reg.example:5000/team/web:~1"));
  EXPECT_EQ(r.endpoint->prefix, "reg.example:5000");
  EXPECT_EQ(r.repository, "team/web");
  ASSERT_TRUE(r.selection.winner);
  EXPECT_EQ(r.selection.winner->tag, "1.1.0");
}

TEST_F(Service, UsesTheDefaultEntryAndItsNamespace) {
  auto e = endpoint("reg.example:5000");
  e.is_default = true;
  e.defaultns = "library";
  auto service = make({e});
  auto r = service->check(check("solo"));
  EXPECT_EQ(r.repository, "library/solo");
  EXPECT_EQ(r.selection.winner->tag, "2.0.0");
}

TEST_F(Service, TagListsAreSharedWithinAPassAndReReadInTheNext) {
  auto service = make({endpoint("reg.example:5000")});
  service->begin_pass();
  auto before = CallCounts::now();
  for (int app = 0; app < 5; ++app) service->check(check("reg.example:5000/team/web:~1"));
  EXPECT_EQ((CallCounts::now() - before).list_tags, 1);
  service->begin_pass();
  service->check(check("reg.example:5000/team/web:~1"));
  EXPECT_EQ((CallCounts::now() - before).list_tags, 2);
  const auto hits = metrics::Registry::global().value("argocd_image_updater_cache_lookups_total",
                                                      {"tags", "hit"});
  EXPECT_GE(hits.value_or(0), 4);
}

TEST_F(Service, RegistryCredentialsAreResolvedAgainAfterARefusal) {
  fixture_.require_password("right");
  fixture_.write();
  auto e = endpoint("reg.example:5000");
  e.credentials = rotating_helper("expired", "right");
  auto service = make({e});
  const auto before = CallCounts::now();
  auto r = service->check(check("reg.example:5000/team/web:~1"));
  ASSERT_TRUE(r.selection.winner);
  EXPECT_EQ((CallCounts::now() - before).unauthenticated, 1);
}

TEST_F(Service, AnImagePullSecretWinsOverRegistryCredentials) {
  fixture_.require_password("image-level");
  fixture_.write();
  auto e = endpoint("reg.example:5000");
  ::setenv("IU_TEST_REGISTRY_CREDS", "u:registry-level", 1);
  ::setenv("IU_TEST_IMAGE_CREDS", "u:image-level", 1);
  e.credentials = "env:IU_TEST_REGISTRY_CREDS";
  auto service = make({e});
  auto c = check("reg.example:5000/team/web:~1");
  EXPECT_THROW(service->check(c), plugin_host::PluginError);
  c.pull_secret = "env:IU_TEST_IMAGE_CREDS";
  EXPECT_TRUE(service->check(c).selection.winner);
}

TEST_F(Service, AnUnknownPluginIsAnErrorNamingTheRegistry) {
  auto e = endpoint("reg.example:5000");
  e.plugin = "quay-special";
  auto service = make({e});
  try {
    service->check(check("reg.example:5000/team/web:~1"));
    FAIL() << "expected an error";
  } catch (const std::runtime_error& err) {
    const std::string msg = err.what();
    EXPECT_NE(msg.find("registry reg.example:5000: plugin: unknown registry \"quay-special\""),
              std::string::npos)
        << msg;
  }
}

TEST_F(Service, MetadataSurvivesARestartOfTheService) {
  {
    auto service = make({endpoint("reg.example:5000")});
    service->check(check("reg.example:5000/team/web", "newest-build"));
  }
  auto service = make({endpoint("reg.example:5000")});
  const auto before = CallCounts::now();
  auto c = check("reg.example:5000/team/web", "newest-build");
  c.confirm_winner = false;
  EXPECT_EQ(service->check(c).selection.winner->tag, "1.1.0");
  const auto cost = CallCounts::now() - before;
  EXPECT_EQ(cost.manifest_get + cost.manifest_head + cost.config, 0);
}

}  // namespace
}  // namespace iu::registry
