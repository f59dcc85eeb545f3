// The small pieces of the registry service: RFC 3339 times, the metadata body codec, the
// singleflight, the tag-list cache and the tag->digest expiry jitter.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "registry/metadata_codec.hpp"
#include "registry/rfc3339.hpp"
#include "registry/singleflight.hpp"
#include "registry/tag_list_cache.hpp"
#include "registry/tag_metadata.hpp"

namespace iu::registry {
namespace {

TEST(Rfc3339, ParsesTheFormsGoAccepts) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T12:34:56Z"), 1709210096000);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T12:34:56.789123456Z"), 1709210096789);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T14:34:56+02:00"), 1709210096000);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T10:04:56-02:30"), 1709210096000);
  EXPECT_EQ(parse_rfc3339_ms("1969-12-31T23:59:59Z"), -1000);
}

TEST(Rfc3339, RejectsEverythingElse) {
  for (const char* bad :
       {"", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00", "2024-01-01T24:00:00Z", "2024-01-01T00:00:60Z",
        "2024-01-01T00:00:00z", "2024-01-01t00:00:00Z", "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00+0200", "2024-01-01T00:00:00Z ", "yesterday", "1714557600"})
    EXPECT_FALSE(parse_rfc3339_ms(bad)) << bad;
}

TEST(MetadataCodec, RoundTripsAndRejectsDamage) {
  plugin_host::ManifestInfo m{
      "sha256:d", "application/vnd.docker.distribution.manifest.v2+json", false, {}, "sha256:c"};
  auto back = decode_manifest("sha256:d", encode_manifest(m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->config_digest, "sha256:c");
  EXPECT_FALSE(back->is_index);
  plugin_host::ImageConfigInfo c{"", {"linux", "amd64", ""}, {{"a", "é\"\n"}}};
  auto cback = decode_config(encode_config(c));
  ASSERT_TRUE(cback);
  EXPECT_EQ(cback->labels, c.labels);
  EXPECT_FALSE(decode_manifest("d", "{"));
  EXPECT_FALSE(decode_manifest("d", "[]"));
  EXPECT_FALSE(decode_manifest("d", R"({"mediaType":"x","index":1,"config":"","children":[]})"));
  EXPECT_FALSE(decode_config(R"({"created":"","os":"linux","arch":"amd64","variant":"",
                                 "labels":[["k"]]})"));
}

TEST(Singleflight, ConcurrentCallersShareOneRunAndItsError) {
  Singleflight<std::string, int> flights;
  std::atomic<int> runs{0};
  std::atomic<bool> release{false};
  std::atomic<int> followers{0};
  std::vector<std::jthread> threads;
  std::vector<int> results(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      FlightRole role;
      results[static_cast<size_t>(i)] = flights.run(
          "k",
          [&] {
            ++runs;
            for (int spin = 0; spin < 2000 && !release.load(); ++spin)
              std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return 7;
          },
          &role);
      if (role == FlightRole::follower) ++followers;
    });
  // Let every thread join the flight before the leader finishes.
  for (int spin = 0; spin < 200; ++spin) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  release = true;
  threads.clear();
  EXPECT_EQ(runs.load() + followers.load(), 8);
  EXPECT_LT(runs.load(), 8);
  for (int r : results) EXPECT_EQ(r, 7);
  EXPECT_THROW(flights.run("k", []() -> int { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_EQ(flights.run("k", [] { return 8; }), 8) << "a failure is not remembered";
}

TEST(TagListCache, PassScopedEntriesLiveUntilTheNextPass) {
  TagListCache cache({});
  int fetches = 0;
  auto fetch = [&] {
    ++fetches;
    return TagList{{"1.0", "", IU_TIME_UNKNOWN}};
  };
  TagListKey key{"e", "r", ""};
  EXPECT_EQ(cache.get(key, false, fetch)->size(), 1u);
  cache.get(key, false, fetch);
  EXPECT_EQ(fetches, 1);
  cache.get(TagListKey{"e", "r", "other-creds"}, false, fetch);
  EXPECT_EQ(fetches, 2) << "credential identity is part of the key";
  cache.get(key, true, fetch);
  EXPECT_EQ(fetches, 3) << "a webhook-triggered check bypasses the cache";
  cache.begin_pass();
  EXPECT_EQ(cache.size(), 0u);
  cache.get(key, false, fetch);
  EXPECT_EQ(fetches, 4);
}

TEST(TagListCache, TtlEntriesExpireByAge) {
  int64_t now = 1000;
  TagListCache cache({std::chrono::seconds(30), [&] { return now; }});
  int fetches = 0;
  auto fetch = [&] {
    ++fetches;
    return TagList{};
  };
  cache.get({"e", "r", ""}, false, fetch);
  now += 29000;
  cache.begin_pass();
  cache.get({"e", "r", ""}, false, fetch);
  EXPECT_EQ(fetches, 1);
  now += 1000;
  cache.get({"e", "r", ""}, false, fetch);
  EXPECT_EQ(fetches, 2);
}

TEST(TagListCache, ConcurrentMissesShareOneListing) {
  TagListCache cache({});
  std::atomic<int> fetches{0};
  std::atomic<bool> release{false};
  std::vector<std::jthread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      cache.get({"e", "r", ""}, false, [&] {
        ++fetches;
        for (int spin = 0; spin < 2000 && !release.load(); ++spin)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return TagList{{"1.0", "", IU_TIME_UNKNOWN}};
      });
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  release = true;
  threads.clear();
  EXPECT_EQ(fetches.load(), 1) << "followers share the flight, later callers hit the cache";
}

TEST(TagListCache, AFailedFetchIsNotCached) {
  TagListCache cache({});
  EXPECT_THROW(cache.get({"e", "r", ""}, false, []() -> TagList { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(TagDigestExpiry, SpreadsWithinTenPercentAndIsStable) {
  const auto ttl = std::chrono::milliseconds(100000);
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (int i = 0; i < 500; ++i) {
    TagDigestKey key{"e", "r", "tag-" + std::to_string(i), ""};
    const int64_t at = tag_digest_expiry_ms(key, 0, ttl);
    EXPECT_EQ(at, tag_digest_expiry_ms(key, 0, ttl));
    EXPECT_GE(at, 90000);
    EXPECT_LE(at, 110000);
    lo = std::min(lo, at);
    hi = std::max(hi, at);
  }
  EXPECT_LT(lo, 92000);
  EXPECT_GT(hi, 108000);
}

}  // namespace
}  // namespace iu::registry
