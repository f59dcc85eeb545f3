// Calling plugins through the host handles: results, statuses, messages, and exceptions that
// the C++ layer must turn into statuses.
#include <gtest/gtest.h>

#include "plugin_host/kinds.hpp"
#include "plugin_host/loader.hpp"
#include "test_plugins.hpp"

namespace iu::plugin_host {
namespace {

class Instances : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new Catalog();
    ASSERT_EQ(load_file(iu::test::test_plugin("test-good"), *catalog_), 5u);
  }
  static void TearDownTestSuite() { delete catalog_; }
  static Catalog* catalog_;
};
Catalog* Instances::catalog_ = nullptr;

TEST_F(Instances, StrategyRanksThroughTheVtable) {
  StrategyInstance s(catalog_->resolve(Kind::strategy, "test-reverse"), {});
  std::vector<Candidate> c{{"a"}, {"b"}, {"c"}};
  EXPECT_EQ(s.rank("", "img", c, 0), (std::vector<uint64_t>{2, 1, 0}));
  EXPECT_EQ(s.rank("", "img", c, 1), (std::vector<uint64_t>{2}));
  EXPECT_TRUE(s.rank("none", "img", c, 0).empty());
  EXPECT_EQ(s.needs(), 0u);
  EXPECT_EQ(s.result(), IU_RESULT_TAG);
  EXPECT_EQ(s.platforms(), IU_PLATFORMS_LAZY);
}

TEST_F(Instances, ValidateErrorCarriesThePluginMessage) {
  StrategyInstance s(catalog_->resolve(Kind::strategy, "test-reverse"), {});
  EXPECT_NO_THROW(s.validate("~1.2"));
  try {
    s.validate("bad");
    FAIL();
  } catch (const PluginError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_INVALID_ARGUMENT);
    EXPECT_STREQ(e.what(), "strategy \"test-reverse\": validate: version \"bad\" is not allowed");
  }
}

TEST_F(Instances, ThrowingMethodsBecomeInternalStatuses) {
  StrategyInstance s(catalog_->resolve(Kind::strategy, "test-throws"), {});
  std::vector<Candidate> c{{"a"}};
  try {
    s.rank("", "img", c, 0);
    FAIL();
  } catch (const PluginError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_INTERNAL);
    EXPECT_STREQ(e.what(), "strategy \"test-throws\": rank img: boom from rank");
  }
  try {
    s.validate("x");
    FAIL();
  } catch (const PluginError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_INTERNAL);
    EXPECT_STREQ(e.what(), "strategy \"test-throws\": validate: unknown exception in plugin");
  }
  // The host and the instance keep working afterwards.
  EXPECT_THROW(s.rank("", "img", c, 0), PluginError);
}

TEST_F(Instances, RegistryUsesItsValidatedConfig) {
  const auto& impl = catalog_->resolve(Kind::registry, "test-list");
  auto cfg = validate_config(impl, {{"tags", "1.0,1.1,2.0"}, {"level", "3"}},
                             "registries.conf: registries[0]");
  EXPECT_EQ(cfg.at("timeout"), "30000") << "duration default normalised to ms";
  RegistryInstance r(impl, cfg, "registry.local:5000");
  auto tags = r.list_tags("org/app", {"u", "p", "env:CREDS"});
  ASSERT_EQ(tags.size(), 3u);
  EXPECT_EQ(tags[2].tag, "2.0");
  EXPECT_EQ(tags[0].pushed_at_ms, IU_TIME_UNKNOWN);
  try {
    r.list_tags("missing", {});
    FAIL();
  } catch (const PluginError& e) {
    EXPECT_EQ(e.status(), IU_STATUS_NOT_FOUND);
    EXPECT_STREQ(e.what(),
                 "registry \"test-list\": list tags of missing: repository missing not found");
  }
  auto m = r.get_manifest("org/app", {}, "v8");
  EXPECT_TRUE(m.is_index);
  ASSERT_EQ(m.children.size(), 1u);
  EXPECT_EQ(m.children[0].platform.architecture, "arm64");
  EXPECT_EQ(m.children[0].platform.variant, "v8");
  auto ic = r.get_image_config("org/app", {}, "sha256:x");
  EXPECT_EQ(ic.created, "2024-01-02T03:04:05Z");
  ASSERT_EQ(ic.labels.size(), 1u);
  EXPECT_EQ(ic.labels[0].first, "org.label");
}

TEST_F(Instances, SchedulerOrderIsValidated) {
  SchedulerInstance s(catalog_->resolve(Kind::scheduler, "test-reverse-sched"), {});
  std::vector<SchedJob> jobs(3);
  EXPECT_EQ(s.order(0, jobs), (std::vector<uint64_t>{2, 1, 0}));
}

TEST_F(Instances, WritebackBatchesAndReportsPerIntent) {
  const auto& impl = catalog_->resolve(Kind::writeback, "test-echo");
  EXPECT_FALSE(impl.concurrent());
  WritebackInstance w(impl, {});
  iu_kv settings[] = {{{"repository", 10}, {"https://git/x", 13}}};
  iu_write_intent a{};
  a.struct_size = sizeof a;
  a.app_name = {"app-a", 5};
  a.settings = settings;
  a.setting_count = 1;
  a.change_count = 2;
  iu_write_intent b = a;
  b.app_name = {"app-b", 5};
  EXPECT_EQ(w.batch_key(a), "https://git/x");
  const iu_write_intent* batch[] = {&a, &b};
  auto results = w.write_batch(batch);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].message, "wrote app-b");
  EXPECT_EQ(results[1].changes_applied, 2u);
}

}  // namespace
}  // namespace iu::plugin_host
