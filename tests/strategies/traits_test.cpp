// What each factory declares to the host: kind, name, aliases, concurrency and the strategy
// traits (needs / result / platforms) the core uses to fetch metadata and check platforms.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "strategies.hpp"
#include "strategy_harness.hpp"

namespace iu::strategies {
namespace {

std::vector<std::string> aliases_of(const iu_factory& f) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < f.alias_count; ++i) out.emplace_back(f.aliases[i]);
  return out;
}

struct Expected {
  const iu_factory* (*factory)();
  const char* name;
  std::vector<std::string> aliases;
  uint32_t needs;
  int32_t result;
  int32_t platforms;
};
void PrintTo(const Expected& e, std::ostream* os) { *os << e.name; }

class FactoryTraits : public testing::TestWithParam<Expected> {};

TEST_P(FactoryTraits, DeclaresKindNameAliasesAndTraits) {
  const Expected& e = GetParam();
  const iu_factory* f = e.factory();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->struct_size, sizeof(iu_factory));
  EXPECT_EQ(f->kind, uint32_t{IU_KIND_STRATEGY});
  EXPECT_STREQ(f->type_name, e.name);
  ASSERT_NE(f->description, nullptr);
  EXPECT_STRNE(f->description, "");
  // One instance serves every image from every worker thread.
  EXPECT_EQ(f->flags & IU_FACTORY_CONCURRENT, IU_FACTORY_CONCURRENT);
  EXPECT_EQ(f->config_key_count, 0u);
  EXPECT_EQ(aliases_of(*f), e.aliases);
  EXPECT_EQ(f->aliases == nullptr, e.aliases.empty());

  const auto* vt = static_cast<const iu_strategy_vtable*>(f->vtable);
  ASSERT_NE(vt, nullptr);
  EXPECT_EQ(vt->struct_size, sizeof(iu_strategy_vtable));
  EXPECT_EQ(vt->needs, e.needs);
  EXPECT_EQ(vt->result, e.result);
  EXPECT_EQ(vt->platforms, e.platforms);
  EXPECT_NE(vt->create, nullptr);
  EXPECT_NE(vt->destroy, nullptr);
  EXPECT_NE(vt->validate, nullptr);
  EXPECT_NE(vt->rank, nullptr);
}

TEST_P(FactoryTraits, AccessorReturnsTheSameFactoryEveryTime) {
  EXPECT_EQ(GetParam().factory(), GetParam().factory());
}

INSTANTIATE_TEST_SUITE_P(
    Strategies, FactoryTraits,
    testing::Values(
        Expected{&semver_factory, "semver", {}, 0, IU_RESULT_TAG, IU_PLATFORMS_LAZY},
        Expected{&newest_build_factory,
                 "newest-build",
                 {"latest"},
                 IU_NEEDS_CREATED,
                 IU_RESULT_TAG,
                 IU_PLATFORMS_STRICT},
        Expected{
            &alphabetical_factory, "alphabetical", {"name"}, 0, IU_RESULT_TAG, IU_PLATFORMS_LAZY},
        Expected{&digest_factory, "digest", {}, 0, IU_RESULT_FRESH_DIGEST, IU_PLATFORMS_WINNER}),
    [](const testing::TestParamInfo<Expected>& info) {
      std::string name = info.param.name;
      for (char& c : name)
        if (c == '-') c = '_';
      return name;
    });

}  // namespace
}  // namespace iu::strategies
