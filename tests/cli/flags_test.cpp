// Flags and environment (SPEC §3.2): flag > IMAGE_UPDATER_* / upstream env > default;
// conflicting environment names are fatal; booleans and durations are validated.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>

#include "cli/flag_table.hpp"

namespace iu::cli {
namespace {

struct EnvGuard {
  std::vector<std::string> names;
  ~EnvGuard() {
    for (const auto& n : names) ::unsetenv(n.c_str());
  }
  void set(const std::string& n, const std::string& v) {
    ::setenv(n.c_str(), v.c_str(), 1);
    names.push_back(n);
  }
};

FlagValues parse_run(std::vector<std::string> args) {
  CLI::App app;
  FlagSet flags(run_flags());
  flags.bind(app);
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  app.parse(args);
  return flags.resolve();
}

TEST(Flags, DefaultsFromTheSpec) {
  auto v = parse_run({});
  EXPECT_EQ(v.get("interval"), "2m");
  EXPECT_EQ(v.get("max-concurrency"), "10");
  EXPECT_EQ(v.get("source"), "crd");
  EXPECT_EQ(v.get("webhook-port"), "8082");
  EXPECT_EQ(v.get("leader-election-id"), "c21b75f2.argoproj.io");
  EXPECT_EQ(v.get("git-commit-user"), "argocd-image-updater");
  EXPECT_FALSE(v.boolean("once"));
  EXPECT_TRUE(v.boolean("warmup-cache"));
  EXPECT_EQ(v.sources().at("interval"), "default");
}

TEST(Flags, PrecedenceFlagOverEnvOverDefault) {
  EnvGuard env;
  env.set("IMAGE_UPDATER_INTERVAL", "5m");
  env.set("MAX_CONCURRENT_APPS", "7");
  auto v = parse_run({"--interval", "30s"});
  EXPECT_EQ(v.get("interval"), "30s");
  EXPECT_EQ(v.sources().at("interval"), "flag");
  EXPECT_EQ(v.get("max-concurrency"), "7");
  EXPECT_EQ(v.sources().at("max-concurrency"), "env MAX_CONCURRENT_APPS");
}

TEST(Flags, AliasesAndBooleans) {
  auto v = parse_run(
      {"--max-concurrent-apps=3", "--once", "--dry-run=false", "--application-namespace", "*"});
  EXPECT_EQ(v.get("max-concurrency"), "3");
  EXPECT_TRUE(v.boolean("once"));
  EXPECT_FALSE(v.boolean("dry-run"));
  EXPECT_EQ(v.get("watch-namespaces"), "*");
  EnvGuard env;
  env.set("GIT_COMMIT_SIGN_OFF", "T");
  EXPECT_TRUE(parse_run({}).boolean("git-commit-sign-off"));
}

TEST(Flags, ConflictingEnvironmentNamesAreFatal) {
  EnvGuard env;
  env.set("IMAGE_UPDATER_MAX_CONCURRENCY", "4");
  env.set("MAX_CONCURRENT_APPS", "8");
  try {
    parse_run({});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "environment variables IMAGE_UPDATER_MAX_CONCURRENCY and MAX_CONCURRENT_APPS both "
                 "set --max-concurrency with different values; unset one");
  }
  env.set("MAX_CONCURRENT_APPS", "4");
  EXPECT_EQ(parse_run({}).get("max-concurrency"), "4") << "equal values are not a conflict";
}

TEST(Flags, InvalidValuesNameTheFlagOrVariable) {
  auto msg = [](std::vector<std::string> args) {
    try {
      parse_run(std::move(args));
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(msg({"--interval", "5"}), "--interval: invalid duration \"5\": missing unit");
  EXPECT_EQ(msg({"--once=maybe"}), "--once: invalid boolean \"maybe\" (use true or false)");
  EXPECT_EQ(msg({"--loop", "forever"}),
            "--loop: invalid value \"forever\" (one of: cycle, continuous)");
  EXPECT_EQ(msg({"--max-concurrency", "many"}), "--max-concurrency: invalid integer \"many\"");
  EnvGuard env;
  env.set("ENABLE_WEBHOOK", "yes");
  EXPECT_EQ(msg({}),
            "ENABLE_WEBHOOK (--enable-webhook): invalid boolean \"yes\" (use true or false)");
}

TEST(Flags, RepeatableListsAndWebhookSecretEnvNames) {
  auto v = parse_run({"--match-application-name", "a-*", "--match-application-name", "b-*,c"});
  EXPECT_EQ(v.list("match-application-name"), (std::vector<std::string>{"a-*", "b-*", "c"}));
  EnvGuard env;
  env.set("ALIYUN_ACR_WEBHOOK_SECRET", "s3cr3t");
  EXPECT_EQ(parse_run({}).get("aliyun-acr-webhook-secret"), "s3cr3t");
  FlagSpec f;
  f.name = "foo-bar";
  f.env = {"UPSTREAM_FOO"};
  EXPECT_EQ(env_names(f), (std::vector<std::string>{"IMAGE_UPDATER_FOO_BAR", "UPSTREAM_FOO"}));
}

}  // namespace
}  // namespace iu::cli
