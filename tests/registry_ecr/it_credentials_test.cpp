// Integration: the AWS credentials chain against ecr_fake.py, which verifies every SigV4
// signature with botocore. Static keys from the environment, a profile of the shared
// credentials file, a profile of the config file (with its region), web identity through STS;
// a wrong secret or missing credentials give errors that name the source and never a secret;
// credentials the host passes (pullSecret / registry credentials) win over the chain.
#include <fstream>

#include "it_base.hpp"
#include "log/log.hpp"

namespace iu::test {
namespace {

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

class CredentialsIT : public EcrIT {
 protected:
  std::filesystem::path file(const std::string& name) const { return dir_.path() / name; }

  // list_tags, a manifest and its config blob: every kind of request the plugin makes.
  void expect_lookups_work(const plugin_host::RegistryInstance& r) const {
    auto tags = r.list_tags("team/app", anonymous_);
    EXPECT_EQ(tags.size(), kAppTags.size());
    auto m = r.get_manifest("team/app", anonymous_, "1.9");
    EXPECT_EQ(m.digest, world().app_digests.at("1.9"));
    auto c = r.get_image_config("team/app", anonymous_, m.config_digest);
    EXPECT_FALSE(c.created.empty());
    EXPECT_EQ(world().fake->count("DescribeImages", 400), 0);
    EXPECT_EQ(world().fake->count("GetAuthorizationToken", 400), 0);
  }

  TempDir dir_;
};

TEST_F(CredentialsIT, StaticKeysFromTheEnvironment) {
  ScopedAwsEnv e(env_keys());
  auto r = make();
  expect_lookups_work(*r);
  EXPECT_EQ(world().fake->count("DescribeImages"), 1);
  EXPECT_EQ(world().fake->count("GetAuthorizationToken"), 1);
}

TEST_F(CredentialsIT, ProfileOfTheSharedCredentialsFile) {
  write_file(file("credentials"),
             "# test profiles\n[default]\naws_access_key_id = AKIANOTTHISONE00000\n"
             "aws_secret_access_key = nope\n\n[ci]\naws_access_key_id = " +
                 std::string(kProfileKeyId) + "\naws_secret_access_key = " + kProfileSecret + "\n");
  ScopedAwsEnv e(
      env({{"AWS_PROFILE", "ci"}, {"AWS_SHARED_CREDENTIALS_FILE", file("credentials").string()}}));
  auto r = make();
  expect_lookups_work(*r);
}

TEST_F(CredentialsIT, ProfileOfTheConfigFileAlsoGivesTheRegion) {
  // `plugin: ecr` on a non-ECR prefix: the region comes from the profile.
  write_file(file("config"),
             "[profile ci]\nregion = us-east-1\naws_access_key_id = " + std::string(kProfileKeyId) +
                 "\naws_secret_access_key = " + kProfileSecret +
                 "\ns3 =\n  max_concurrent_requests = 2\n");
  ScopedAwsEnv e(env({{"AWS_PROFILE", "ci"}, {"AWS_CONFIG_FILE", file("config").string()}}));
  auto r = make_ecr(world().fake->proxy_url(), world().fake->proxy_host(), "ecr-cache.internal");
  expect_lookups_work(*r);
}

TEST_F(CredentialsIT, DefaultProfileUnderHome) {
  std::filesystem::create_directories(file(".aws"));
  write_file(file(".aws/credentials"),
             "[default]\naws_access_key_id = " + std::string(kProfileKeyId) +
                 "\naws_secret_access_key = " + kProfileSecret + "\n");
  ScopedAwsEnv e(env({{"HOME", dir_.path().string()}}));
  auto r = make();
  expect_lookups_work(*r);
}

TEST_F(CredentialsIT, WebIdentityThroughSts) {
  run_checked({fixture_python(), (fixtures_dir() / "ecr_fake.py").string(), "mint-jwt", "--sub",
               "system:serviceaccount:argocd:argocd-image-updater", "--out",
               file("token").string()});
  ScopedAwsEnv e(env({{"AWS_ROLE_ARN", kRoleArn},
                      {"AWS_WEB_IDENTITY_TOKEN_FILE", file("token").string()},
                      {"AWS_ROLE_SESSION_NAME", "ecr-it"}}));
  auto r = make();
  expect_lookups_work(*r);
  // Temporary credentials are reused while valid (they live 4 s here).
  EXPECT_EQ(world().fake->count("sts AssumeRoleWithWebIdentity"), 1);
}

TEST_F(CredentialsIT, WrongSecretNamesTheSourceAndCodeButNeverTheSecret) {
  const std::string wrong = "Wr0ngSecretValue/ThatMustNotLeak+0123456";
  log::configure(log::Level::debug, log::Format::text);
  StderrCapture logs;
  {
    ScopedAwsEnv e(env_keys(wrong));
    auto r = make();
    auto [st, msg] = plugin_error([&] { r->list_tags("team/app", anonymous_); });
    EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
    EXPECT_NE(msg.find("DescribeImages"), std::string::npos) << msg;
    EXPECT_NE(msg.find("credentials from environment"), std::string::npos) << msg;
    EXPECT_NE(msg.find("InvalidSignatureException"), std::string::npos) << msg;
    EXPECT_EQ(msg.find(wrong), std::string::npos) << msg;

    auto [st2, msg2] = plugin_error([&] { r->get_manifest("team/app", anonymous_, "1.9"); });
    EXPECT_EQ(st2, IU_STATUS_UNAUTHENTICATED);
    EXPECT_NE(msg2.find("GetAuthorizationToken"), std::string::npos) << msg2;
    EXPECT_NE(msg2.find("credentials from environment"), std::string::npos) << msg2;
    EXPECT_EQ(msg2.find(wrong), std::string::npos) << msg2;
  }
  std::string text = logs.text();
  log::configure(log::Level::info, log::Format::text);
  EXPECT_NE(text.find("newest-build orders by build time"), std::string::npos) << text;
  EXPECT_EQ(text.find(wrong), std::string::npos) << text;
  EXPECT_EQ(text.find(kEnvSecret), std::string::npos) << text;
  EXPECT_GE(world().fake->count("DescribeImages", 400), 1);
}

TEST_F(CredentialsIT, WrongSecretInAProfileNamesTheProfile) {
  write_file(file("credentials"), "[ci]\naws_access_key_id = " + std::string(kProfileKeyId) +
                                      "\naws_secret_access_key = not-the-secret-0123456789\n");
  ScopedAwsEnv e(
      env({{"AWS_PROFILE", "ci"}, {"AWS_SHARED_CREDENTIALS_FILE", file("credentials").string()}}));
  auto r = make();
  auto [st, msg] = plugin_error([&] { r->list_tags("team/app", anonymous_); });
  EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
  EXPECT_NE(msg.find("credentials from profile ci"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("not-the-secret-0123456789"), std::string::npos) << msg;
}

TEST_F(CredentialsIT, UnknownKeyAndRejectedRoleAreClear) {
  {
    ScopedAwsEnv e(env({{"AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000000"},
                        {"AWS_SECRET_ACCESS_KEY", "whatever-secret-value"}}));
    auto [st, msg] = plugin_error([&] { make()->list_tags("team/app", anonymous_); });
    EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
    EXPECT_NE(msg.find("UnrecognizedClientException"), std::string::npos) << msg;
  }
  {
    write_file(file("token"), "not-a-jwt\n");
    ScopedAwsEnv e(
        env({{"AWS_ROLE_ARN", kRoleArn}, {"AWS_WEB_IDENTITY_TOKEN_FILE", file("token").string()}}));
    auto [st, msg] = plugin_error([&] { make()->list_tags("team/app", anonymous_); });
    EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
    EXPECT_NE(msg.find("credentials from web identity"), std::string::npos) << msg;
    EXPECT_NE(msg.find("InvalidIdentityToken"), std::string::npos) << msg;
    EXPECT_NE(msg.find(kRoleArn), std::string::npos) << msg;
  }
}

TEST_F(CredentialsIT, MissingOrIncompleteCredentialsSayWhatToSet) {
  {
    ScopedAwsEnv e(env());
    auto [st, msg] = plugin_error([&] { make()->list_tags("team/app", anonymous_); });
    EXPECT_EQ(st, IU_STATUS_UNAUTHENTICATED);
    EXPECT_NE(msg.find("no AWS credentials found"), std::string::npos) << msg;
  }
  {
    ScopedAwsEnv e(env({{"AWS_ACCESS_KEY_ID", kEnvKeyId}}));
    auto [st, msg] = plugin_error([&] { make()->list_tags("team/app", anonymous_); });
    EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(msg.find("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"),
              std::string::npos)
        << msg;
  }
  {
    ScopedAwsEnv e(
        env({{"AWS_PROFILE", "absent"}, {"AWS_SHARED_CREDENTIALS_FILE", file("none").string()}}));
    auto [st, msg] = plugin_error([&] { make()->list_tags("team/app", anonymous_); });
    EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(msg.find("profile absent"), std::string::npos) << msg;
  }
  {
    write_file(file("broken"), "[ci]\nthis line is not a setting\n");
    ScopedAwsEnv e(
        env({{"AWS_PROFILE", "ci"}, {"AWS_SHARED_CREDENTIALS_FILE", file("broken").string()}}));
    auto [st, msg] = plugin_error([&] { make()->list_tags("team/app", anonymous_); });
    EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(msg.find(file("broken").string() + ":2"), std::string::npos) << msg;
  }
}

TEST_F(CredentialsIT, UnreachableApiEndpointIsTransientAndNamed) {
  // A port nothing listens on (bound, never listening): connection refused.
  ScopedAwsEnv e({{"AWS_ACCESS_KEY_ID", kEnvKeyId},
                  {"AWS_SECRET_ACCESS_KEY", kEnvSecret},
                  {"AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:9"}});
  auto [st, msg] = plugin_error([&] { make()->list_tags("team/app", anonymous_); });
  EXPECT_EQ(st, IU_STATUS_TRANSIENT);
  EXPECT_NE(msg.find("ECR DescribeImages (credentials from environment): no answer"),
            std::string::npos)
      << msg;
  EXPECT_EQ(msg.find(kEnvSecret), std::string::npos) << msg;
}

TEST_F(CredentialsIT, HostGivenCredentialsWinOverTheChain) {
  // No AWS credentials at all: an AWS:<password> pair from a pullSecret is enough.
  rapidjson::Document toks = parse_json(world().fake->get("__tokens"));
  ASSERT_TRUE(toks["tokens"].IsArray() && !toks["tokens"].Empty());
  const auto& last = toks["tokens"][toks["tokens"].Size() - 1];
  std::string password = json_string(last, {"password"});
  ScopedAwsEnv e(env());
  auto r = make();
  const plugin_host::Credentials pull{"AWS", password, "pullsecret:argocd/ecr"};
  auto tags = r->list_tags("team/app", pull);
  EXPECT_EQ(tags.size(), kAppTags.size());
  EXPECT_EQ(r->get_manifest("team/app", pull, "2.0").digest, world().app_digests.at("2.0"));
  EXPECT_EQ(world().fake->total("GetAuthorizationToken"), 0);
  EXPECT_EQ(world().fake->total("DescribeImages"), 0);
}

}  // namespace
}  // namespace iu::test
