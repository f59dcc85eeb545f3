// Failures inside a strategy call come back as statuses with a message, never as exceptions
// across the C boundary; and one instance serves concurrent calls (IU_FACTORY_CONCURRENT).
#include <gtest/gtest.h>

#include <atomic>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "iu/plugin.hpp"
#include "strategies.hpp"
#include "strategy_harness.hpp"

namespace iu::strategies {
namespace {

// A request each strategy answers with at least one index.
struct Case {
  const char* name;
  const iu_factory* (*factory)();
  const char* version;
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class EveryStrategy : public testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() { test::install_fake_host(); }
  const std::vector<test::Candidate> candidates{
      {"1.0.0", 10}, {"latest", 30}, {"2.1.0", 20}, {"0.9", 40}, {"2.0.0", 5}};
};

TEST_P(EveryStrategy, StandardExceptionBecomesInternalWithItsMessage) {
  test::StrategyUnderTest s(GetParam().factory());
  for (uint64_t max : {0u, 1u}) {
    const auto out = s.rank(GetParam().version, candidates, max,
                            [](uint64_t) { throw std::runtime_error("sink exploded"); });
    EXPECT_EQ(out.status, IU_STATUS_INTERNAL);
    EXPECT_EQ(out.error, "sink exploded");
    EXPECT_TRUE(out.indices.empty());
  }
}

TEST_P(EveryStrategy, UnknownExceptionBecomesInternal) {
  test::StrategyUnderTest s(GetParam().factory());
  const auto out = s.rank(GetParam().version, candidates, 1, [](uint64_t) { throw 42; });
  EXPECT_EQ(out.status, IU_STATUS_INTERNAL);
  EXPECT_EQ(out.error, "unknown exception in plugin");
}

TEST_P(EveryStrategy, SdkErrorKeepsItsStatus) {
  // E.g. a sink that gives up because the host is shutting down: the strategy must not turn
  // that into something else by catching it.
  test::StrategyUnderTest s(GetParam().factory());
  const auto out = s.rank(GetParam().version, candidates, 0, [](uint64_t) {
    throw sdk::Error(IU_STATUS_CANCELLED, "pass cancelled");
  });
  EXPECT_EQ(out.status, IU_STATUS_CANCELLED);
  EXPECT_EQ(out.error, "pass cancelled");
}

TEST_P(EveryStrategy, OneInstanceServesConcurrentCalls) {
  test::StrategyUnderTest s(GetParam().factory());
  const auto reference = s.rank(GetParam().version, candidates, 0);
  ASSERT_EQ(reference.status, IU_STATUS_OK) << reference.error;
  ASSERT_FALSE(reference.indices.empty());
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const uint64_t max = static_cast<uint64_t>((i + t) % 3);  // 0, 1, 2
        const auto out = s.rank(GetParam().version, candidates, max);
        const size_t n =
            max == 0 ? reference.indices.size() : std::min<size_t>(max, reference.indices.size());
        if (out.status != IU_STATUS_OK ||
            out.indices !=
                std::vector<uint64_t>(reference.indices.begin(), reference.indices.begin() + n) ||
            s.validate(GetParam().version).status != IU_STATUS_OK)
          ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Strategies, EveryStrategy,
                         testing::Values(Case{"semver", &semver_factory, ""},
                                         Case{"newest_build", &newest_build_factory, ""},
                                         Case{"alphabetical", &alphabetical_factory, ""},
                                         Case{"digest", &digest_factory, "latest"}),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace iu::strategies
