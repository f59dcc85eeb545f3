// Integration through the core's registry service (endpoint table from registries.conf text,
// caches, selection pipeline) with the `ecr` plugin and the bundled newest-build strategy:
// push time is offered as metadata, `newest-build` keeps meaning build time, and
// `tagsortmode: pushed` orders by push time with no manifest or blob request (SPEC §6.5, §7.7).
// A second ecr_fake.py gives team/app push times that disagree with the build times.
#include <fstream>

#include "it_base.hpp"
#include "model/image_ref.hpp"
#include "plugin_host/loader.hpp"
#include "registries/registries_conf.hpp"
#include "registry/registry_service.hpp"

#ifndef IU_STRATEGIES_MODULE
#error "IU_STRATEGIES_MODULE must name the built strategies.so"
#endif

namespace iu::test {
namespace {

class ServiceIT : public EcrIT {
 protected:
  static void SetUpTestSuite() {
    if (!world().error.empty()) return;
    try {
      dir_ = std::make_unique<TempDir>();
      // "2.0" is the oldest build but the newest push.
      std::ofstream(dir_->path() / "pushed.json")
          << R"({"team/app": {"2.0": "2025-06-01T00:00:00Z"}})";
      fake_ = std::make_unique<EcrFake>(
          dir_->path() / "ecr",
          std::vector<std::string>{"--registry", world().registry->url(), "--registry-auth",
                                   "admin:adminpw", "--pushed-at-file",
                                   (dir_->path() / "pushed.json").string()},
          true);
      plugin_host::load_file(IU_REGISTRY_ECR_MODULE, catalog());
      plugin_host::load_file(IU_STRATEGIES_MODULE, catalog());
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    fake_.reset();
    dir_.reset();
  }
  static plugin_host::Catalog& catalog() {
    static plugin_host::Catalog c;
    return c;
  }

  void SetUp() override {
    EcrIT::SetUp();
    ASSERT_TRUE(error_.empty()) << error_;
    env_ =
        std::make_unique<ScopedAwsEnv>(world().aws_env({{"AWS_ACCESS_KEY_ID", kEnvKeyId},
                                                        {"AWS_SECRET_ACCESS_KEY", kEnvSecret},
                                                        {"AWS_ENDPOINT_URL", fake_->api_url()}}));
    fake_->reset_counts();
  }
  void TearDown() override { env_.reset(); }

  // newest-build over team/app with registries.conf's tagsortmode `mode`.
  registry::Selection select(const std::string& mode) {
    const std::string conf = "registries:\n- name: ecr\n  prefix: " + std::string(kEcrPrefix) +
                             "\n  api_url: " + fake_->proxy_url() + "\n  tagsortmode: " + mode +
                             "\n  limit: 0\n";
    auto table =
        registries::EndpointTable::with_builtins(registries::parse_registries_conf(conf).endpoints);
    EXPECT_EQ(table->lookup(kEcrPrefix, "team/app")->plugin, "ecr");
    registry::RegistryService service(
        catalog(), [table] { return table; }, nullptr, registry::RegistryServiceOptions{});
    plugin_host::StrategyInstance strategy(
        catalog().resolve(plugin_host::Kind::strategy, "newest-build"), {});
    registry::ImageCheck check;
    check.image = *model::parse_image_spec(std::string(kEcrPrefix) + "/team/app");
    check.strategy = &strategy;
    check.confirm_winner = false;
    service.begin_pass();
    return service.check(check).selection;
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<EcrFake> fake_;
  static inline std::string error_;
  std::unique_ptr<ScopedAwsEnv> env_;
};

TEST_F(ServiceIT, NewestBuildKeepsMeaningBuildTime) {
  registry::Selection sel = select("none");
  ASSERT_TRUE(sel.winner) << sel.reason;
  EXPECT_EQ(sel.winner->tag, kAppTags.back());
  EXPECT_EQ(sel.winner->digest, world().app_digests.at(kAppTags.back()));
  EXPECT_EQ(sel.tags_listed, kAppTags.size());
  EXPECT_EQ(fake_->count("DescribeImages"), 1);
  EXPECT_EQ(services_->count("tags"), 1u);               // DescribeImages, no tags/list
  EXPECT_GE(services_->count("blob"), kAppTags.size());  // build times read from config blobs
}

TEST_F(ServiceIT, TagsortmodePushedOrdersByPushTimeWithoutManifests) {
  registry::Selection sel = select("pushed");
  ASSERT_TRUE(sel.winner) << sel.reason;
  EXPECT_EQ(sel.winner->tag, "2.0");
  EXPECT_EQ(sel.winner->digest, world().app_digests.at("2.0"));
  EXPECT_EQ(fake_->count("DescribeImages"), 1);
  EXPECT_EQ(services_->count("manifest"), 0u);
  EXPECT_EQ(services_->count("blob"), 0u);
  EXPECT_EQ(fake_->total("proxy auth ok"), 0);
}

}  // namespace
}  // namespace iu::test
