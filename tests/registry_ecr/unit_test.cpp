// Unit tests of the registry-ecr parts that need no server: ECR host recognition and endpoint
// resolution, the shared AWS files, and the text helpers (Base64, ISO 8601, XML, redaction).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "iu/plugin.hpp"
#include "location.hpp"
#include "shared_files.hpp"
#include "text.hpp"

namespace iu::registry_ecr {
namespace {

std::optional<std::string> none() { return std::nullopt; }

// An environment with exactly these variables.
AwsEnv vars(const std::map<std::string, std::string>& m) { return AwsEnv(m); }

TEST(EcrHost, RecognisesCommercialFipsAndChinaHosts) {
  auto h = parse_ecr_host("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->account, "123456789012");
  EXPECT_EQ(h->region, "eu-west-1");
  EXPECT_FALSE(h->fips);
  EXPECT_FALSE(h->china);
  auto f = parse_ecr_host("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com:443");
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->fips);
  EXPECT_EQ(f->region, "us-gov-west-1");
  auto c = parse_ecr_host("123456789012.DKR.ECR.cn-north-1.amazonaws.com.cn");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->china);
  EXPECT_EQ(c->region, "cn-north-1");
}

TEST(EcrHost, RejectsLookAlikes) {
  for (const char* bad : {"12345678901.dkr.ecr.eu-west-1.amazonaws.com",
                          "1234567890123.dkr.ecr.eu-west-1.amazonaws.com",
                          "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io",
                          "123456789012.ecr.eu-west-1.amazonaws.com",
                          "123456789012.dkr.ecr..amazonaws.com", "public.ecr.aws", "ghcr.io", ""})
    EXPECT_FALSE(parse_ecr_host(bad)) << bad;
}

TEST(Location, RegionAndAccountFromTheHostWin) {
  AwsEnv env = vars({{"AWS_REGION", "us-west-2"}});
  auto loc =
      resolve_location("r", "123456789012.dkr.ecr.eu-central-1.amazonaws.com", "", env, none);
  EXPECT_EQ(loc.account, "123456789012");
  EXPECT_EQ(loc.region, "eu-central-1");
  EXPECT_EQ(loc.ecr_endpoint, "https://api.ecr.eu-central-1.amazonaws.com");
  EXPECT_EQ(loc.sts_endpoint, "https://sts.eu-central-1.amazonaws.com");
  // The prefix names it when api_url points elsewhere (a pull-through proxy).
  auto proxied = resolve_location("r", "cache.internal:5000",
                                  "123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", env, none);
  EXPECT_EQ(proxied.ecr_endpoint, "https://ecr-fips.us-east-1.amazonaws.com");
  auto cn =
      resolve_location("r", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "", env, none);
  EXPECT_EQ(cn.ecr_endpoint, "https://api.ecr.cn-north-1.amazonaws.com.cn");
}

TEST(Location, RegionFallsBackToEnvironmentThenProfile) {
  EXPECT_EQ(
      resolve_location("r", "cache:5000", "",
                       vars({{"AWS_REGION", "ap-south-1"}, {"AWS_DEFAULT_REGION", "x-y-1"}}), none)
          .region,
      "ap-south-1");
  EXPECT_EQ(
      resolve_location("r", "cache:5000", "", vars({{"AWS_DEFAULT_REGION", "sa-east-1"}}), none)
          .region_source,
      "AWS_DEFAULT_REGION");
  auto loc = resolve_location("r", "cache:5000", "", AwsEnv(),
                              [] { return std::optional<std::string>("ca-central-1"); });
  EXPECT_EQ(loc.region, "ca-central-1");
  EXPECT_TRUE(loc.account.empty());
  try {
    resolve_location("cache:5000", "cache:5000", "", AwsEnv(), none);
    ADD_FAILURE() << "no region must be an error";
  } catch (const sdk::Error& e) {
    EXPECT_EQ(e.status(), IU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("registry cache:5000"), std::string::npos) << e.what();
  }
}

TEST(Location, EndpointOverridesFollowTheSdkConvention) {
  auto loc = resolve_location("r", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "",
                              vars({{"AWS_ENDPOINT_URL", "http://127.0.0.1:1/"},
                                    {"AWS_ENDPOINT_URL_STS", "http://127.0.0.1:2"}}),
                              none);
  EXPECT_EQ(loc.ecr_endpoint, "http://127.0.0.1:1");
  EXPECT_EQ(loc.sts_endpoint, "http://127.0.0.1:2");
  try {
    resolve_location("r", "123456789012.dkr.ecr.eu-west-1.amazonaws.com", "",
                     vars({{"AWS_ENDPOINT_URL_ECR", "vpce-123.example"}}), none);
    ADD_FAILURE() << "a URL without scheme must be an error";
  } catch (const sdk::Error& e) {
    EXPECT_NE(std::string(e.what()).find("AWS_ENDPOINT_URL_ECR"), std::string::npos) << e.what();
  }
}

class SharedFiles : public ::testing::Test {
 protected:
  SharedFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("iu-ecr-unit-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  ~SharedFiles() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::filesystem::path dir_;
};

TEST_F(SharedFiles, CredentialsFileOverridesConfigFile) {
  auto creds = write("credentials",
                     "[prod]\naws_access_key_id = AKIAPROD\n"
                     "aws_secret_access_key = s3cret\n");
  auto config = write("config",
                      "; comment\n[profile prod]\nregion = eu-west-3\n"
                      "aws_access_key_id = AKIACONFIG\n[default]\nregion = x\n");
  auto p = load_profile(vars({{"AWS_PROFILE", "prod"},
                              {"AWS_SHARED_CREDENTIALS_FILE", creds},
                              {"AWS_CONFIG_FILE", config}}));
  EXPECT_TRUE(p.found);
  EXPECT_EQ(p.get("aws_access_key_id"), "AKIAPROD");
  EXPECT_EQ(p.get("region"), "eu-west-3");
  EXPECT_EQ(p.keys_path, creds);
}

TEST_F(SharedFiles, DefaultProfileUnderHomeAndMissingFiles) {
  std::filesystem::create_directories(dir_ / ".aws");
  write(".aws/config", "[default]\nregion = us-east-2\n");
  auto p = load_profile(vars({{"HOME", dir_.string()}}));
  EXPECT_EQ(p.name, "default");
  EXPECT_FALSE(p.explicitly_named);
  EXPECT_EQ(p.get("region"), "us-east-2");
  auto q = load_profile(vars({{"HOME", (dir_ / "nowhere").string()}}));
  EXPECT_FALSE(q.found);
}

TEST_F(SharedFiles, MalformedLinesNameFileAndLine) {
  auto bad = write("credentials", "[a]\nkey = v\n[b\n");
  try {
    load_profile(vars({{"AWS_SHARED_CREDENTIALS_FILE", bad}}));
    ADD_FAILURE() << "a broken section header must be an error";
  } catch (const sdk::Error& e) {
    EXPECT_NE(std::string(e.what()).find(bad + ":3"), std::string::npos) << e.what();
  }
}

TEST(Text, Base64) {
  EXPECT_EQ(base64_decode("QVdTOnBhc3N3b3Jk"), "AWS:password");
  EXPECT_EQ(base64_decode("QVdTOng="), "AWS:x");
  EXPECT_EQ(base64_decode("QVdTOjE5"), "AWS:19");
  EXPECT_FALSE(base64_decode("QVdTO"));
  EXPECT_FALSE(base64_decode("QV!TOng="));
}

TEST(Text, Iso8601) {
  using namespace std::chrono;
  auto ms = [](std::string_view s) {
    auto t = parse_iso8601(s);
    return t ? duration_cast<milliseconds>(t->time_since_epoch()).count() : -1;
  };
  EXPECT_EQ(ms("2024-01-01T00:00:00Z"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01T00:00:00.250Z"), 1704067200250);
  EXPECT_EQ(ms("2024-01-01T01:00:00+01:00"), 1704067200000);
  EXPECT_EQ(ms("2024-01-01 00:00:00Z"), -1);
  EXPECT_EQ(ms("2024-13-01T00:00:00Z"), -1);
  EXPECT_EQ(ms("2024-01-01T00:00:00"), -1);
}

TEST(Text, XmlAndForms) {
  EXPECT_EQ(xml_element("<a><Code>AccessDenied</Code><Message>x &amp; &lt;y&gt;</Message></a>",
                        "Message"),
            "x & <y>");
  EXPECT_FALSE(xml_element("<a></a>", "Code"));
  EXPECT_EQ(form_encode("arn:aws:iam::1:role/a b+c"), "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc");
}

TEST(Text, SafeMessageDropsDebugLinesAndSecrets) {
  std::string m = "bad signature for key s3cr3t\n\nCanonical request:\nx-amz-security-token:TOK";
  std::string out = safe_message(m, {"s3cr3t", "TOK", ""});
  EXPECT_EQ(out, "bad signature for key <redacted>");
  EXPECT_LE(safe_message(std::string(1000, 'a'), {}).size(), 303u);
}

}  // namespace
}  // namespace iu::registry_ecr
