// The built strategies.so, loaded like the host loads it: one exported entry point, a
// descriptor listing the four strategies, and vtables that report errors through the host table
// handed to the entry point (not through anything shared with the loading process).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "iu/plugin.h"
#include "strategy_harness.hpp"

#ifndef IU_STRATEGIES_MODULE
#error "IU_STRATEGIES_MODULE (path of strategies.so) must be defined by the build"
#endif

namespace {

class StrategiesModule : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    handle_ = dlopen(IU_STRATEGIES_MODULE, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
    entry_ = reinterpret_cast<iu_plugin_entry_fn>(dlsym(handle_, IU_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry_, nullptr) << "no " << IU_PLUGIN_ENTRY_SYMBOL << " in " << IU_STRATEGIES_MODULE;
    const iu_plugin_query query{sizeof(iu_plugin_query), IU_ABI_MAJOR, IU_ABI_MINOR,
                                iu::test::fake_host()};
    descriptor_ = entry_(&query);
    ASSERT_NE(descriptor_, nullptr);
  }
  // Plugins stay loaded until exit, as in the host.

  const iu_factory* factory(const std::string& name) const {
    for (uint32_t i = 0; i < descriptor_->factory_count; ++i)
      if (name == descriptor_->factories[i]->type_name) return descriptor_->factories[i];
    ADD_FAILURE() << "no factory " << name;
    return nullptr;
  }

  static inline void* handle_ = nullptr;
  static inline iu_plugin_entry_fn entry_ = nullptr;
  static inline const iu_plugin_descriptor* descriptor_ = nullptr;
};

TEST_F(StrategiesModule, DescriptorNamesThePluginAndItsFourStrategies) {
  EXPECT_EQ(descriptor_->struct_size, sizeof(iu_plugin_descriptor));
  EXPECT_EQ(descriptor_->abi_major, uint32_t{IU_ABI_MAJOR});
  EXPECT_EQ(descriptor_->abi_minor, uint32_t{IU_ABI_MINOR});
  EXPECT_STREQ(descriptor_->plugin_name, "strategies");
  EXPECT_STREQ(descriptor_->plugin_version, "1.0.0");
  std::vector<std::string> names, aliases;
  for (uint32_t i = 0; i < descriptor_->factory_count; ++i) {
    const iu_factory* f = descriptor_->factories[i];
    EXPECT_EQ(f->kind, uint32_t{IU_KIND_STRATEGY});
    names.emplace_back(f->type_name);
    for (uint32_t a = 0; a < f->alias_count; ++a)
      aliases.push_back(std::string(f->aliases[a]) + "->" + f->type_name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"semver", "newest-build", "alphabetical", "digest"}));
  EXPECT_EQ(aliases, (std::vector<std::string>{"latest->newest-build", "name->alphabetical"}));
}

TEST_F(StrategiesModule, EntryRefusesAQueryWithoutHost) {
  EXPECT_EQ(entry_(nullptr), nullptr);
  const iu_plugin_query query{sizeof(iu_plugin_query), IU_ABI_MAJOR, IU_ABI_MINOR, nullptr};
  EXPECT_EQ(entry_(&query), nullptr);
}

TEST_F(StrategiesModule, ExportsNothingButTheEntryPoint) {
  // Nothing of the static libraries linked in (the strategies, iu_semver) nor the SDK's inline
  // host table (which would then be shared with every other plugin) may be visible.
  for (const char* symbol :
       {"_ZN2iu10strategies14semver_factoryEv", "_ZN2iu10strategies14digest_factoryEv",
        "_ZN2iu3sdk8host_apiEv", "_ZN2iu6semver7compareERKNS0_7VersionES3_"})
    EXPECT_EQ(dlsym(handle_, symbol), nullptr) << symbol << " is exported";
}

TEST_F(StrategiesModule, VtablesRankAndReportErrorsThroughTheHostTable) {
  iu::test::StrategyUnderTest semver(factory("semver"));
  const auto c = iu::test::tags({"1.0", "latest", "2.0", "1.5"});
  EXPECT_EQ(iu::test::ranked_tags(semver.rank("", c, 0), c),
            (std::vector<std::string>{"2.0", "1.5", "1.0"}));
  const auto bad = semver.validate(">==1");
  EXPECT_EQ(bad.status, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(bad.error.rfind("invalid semver constraint \">==1\": ", 0), 0u) << bad.error;

  iu::test::StrategyUnderTest digest(factory("digest"));
  EXPECT_EQ(digest.rank("latest", c, 1).indices, std::vector<uint64_t>{1});
  EXPECT_EQ(digest.validate("").status, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(digest.validate("").error, "");

  iu::test::StrategyUnderTest newest(factory("newest-build"));
  const std::vector<iu::test::Candidate> built{{"a", 3}, {"b", 1}};
  EXPECT_EQ(newest.rank("", built, 1).indices, std::vector<uint64_t>{0});

  iu::test::StrategyUnderTest alphabetical(factory("alphabetical"));
  EXPECT_EQ(alphabetical.rank("", built, 1).indices, std::vector<uint64_t>{1});
}

}  // namespace
