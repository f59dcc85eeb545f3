// Platforms: the accepted syntax, the error for anything else, the variant rule, the default.
#include "model/platform.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iu::model {
namespace {

Platform parse(std::string_view text) {
  std::string error;
  std::optional<Platform> p = parse_platform(text, &error);
  EXPECT_TRUE(p.has_value()) << text << ": " << error;
  return p.value_or(Platform{});
}

std::string error_of(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_platform(text, &error).has_value()) << text;
  return error;
}

TEST(Platform, ParsesTwoOrThreeParts) {
  EXPECT_EQ(parse("linux/amd64"), (Platform{"linux", "amd64", ""}));
  EXPECT_EQ(parse("linux/arm/v7"), (Platform{"linux", "arm", "v7"}));
  EXPECT_EQ(parse("windows/amd64"), (Platform{"windows", "amd64", ""}));
  EXPECT_EQ(to_string(parse("linux/arm64/v8")), "linux/arm64/v8");
  EXPECT_EQ(to_string(parse("linux/amd64")), "linux/amd64");
}

TEST(Platform, AnythingElseIsAnError) {
  EXPECT_EQ(error_of("linux"), "invalid platform \"linux\": expected os/arch or os/arch/variant");
  EXPECT_EQ(error_of(""), "invalid platform \"\": expected os/arch or os/arch/variant");
  EXPECT_EQ(error_of("linux/arm/v7/x"),
            "invalid platform \"linux/arm/v7/x\": expected os/arch or os/arch/variant");
  EXPECT_EQ(error_of("/amd64"), "invalid platform \"/amd64\": empty os");
  EXPECT_EQ(error_of("linux/"), "invalid platform \"linux/\": empty architecture");
  EXPECT_EQ(error_of("linux//v7"), "invalid platform \"linux//v7\": empty architecture");
  EXPECT_EQ(error_of("linux/arm/"), "invalid platform \"linux/arm/\": empty variant");
}

TEST(Platform, VariantRule) {
  const Platform arm = parse("linux/arm");
  const Platform arm_v7 = parse("linux/arm/v7");
  const Platform arm_v6 = parse("linux/arm/v6");
  // An option without variant accepts every variant, and none.
  EXPECT_TRUE(platform_matches(arm, arm_v7));
  EXPECT_TRUE(platform_matches(arm, arm));
  // An option with a variant needs exactly that variant.
  EXPECT_TRUE(platform_matches(arm_v7, arm_v7));
  EXPECT_FALSE(platform_matches(arm_v7, arm_v6));
  EXPECT_FALSE(platform_matches(arm_v7, arm));
  // os and arch must both be equal.
  EXPECT_FALSE(platform_matches(parse("linux/amd64"), parse("windows/amd64")));
  EXPECT_FALSE(platform_matches(parse("linux/amd64"), parse("linux/arm64")));
}

TEST(Platform, AnyOptionMatches) {
  const std::vector<Platform> options = {parse("linux/amd64"), parse("linux/arm/v7")};
  EXPECT_TRUE(any_platform_matches(options, parse("linux/arm/v7")));
  EXPECT_TRUE(any_platform_matches(options, parse("linux/amd64/v3")));
  EXPECT_FALSE(any_platform_matches(options, parse("linux/arm/v6")));
  EXPECT_FALSE(any_platform_matches({}, parse("linux/amd64")));
}

TEST(Platform, RuntimeDefaultHasNoVariant) {
  const Platform self = runtime_platform();
  EXPECT_FALSE(self.os.empty());
  EXPECT_FALSE(self.arch.empty());
  EXPECT_TRUE(self.variant.empty());
#if defined(__linux__) && defined(__x86_64__)
  EXPECT_EQ(to_string(self), "linux/amd64");
#elif defined(__linux__) && defined(__aarch64__)
  EXPECT_EQ(to_string(self), "linux/arm64");
#endif
  // What it prints, it parses back to.
  EXPECT_EQ(parse(to_string(self)), self);
}

}  // namespace
}  // namespace iu::model
