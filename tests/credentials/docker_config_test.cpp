#include "credentials/docker_config.hpp"

#include <gtest/gtest.h>

namespace iu::credentials {
namespace {

TEST(DockerConfig, NormalizesKeys) {
  EXPECT_EQ(normalize_auths_key("https://index.docker.io/v1/"), "index.docker.io");
  EXPECT_EQ(normalize_auths_key("http://myreg:5000/v2/"), "myreg:5000");
  EXPECT_EQ(normalize_auths_key("Ghcr.IO/acme/"), "ghcr.io/acme");
  EXPECT_EQ(normalize_auths_key("quay.io"), "quay.io");
  EXPECT_EQ(normalize_auths_key("HTTPS://Quay.io/v1"), "quay.io");
}

TEST(DockerConfig, ExactHostWinsOverLongerPrefix) {
  std::vector<std::string> keys{"ghcr.io/acme", "https://ghcr.io/", "quay.io"};
  EXPECT_EQ(choose_auths_entry(keys, "ghcr.io", "acme/api"), 1u);
  EXPECT_EQ(choose_auths_entry(keys, "https://quay.io", ""), 2u);
}

TEST(DockerConfig, LongestPrefixAtComponentBoundary) {
  std::vector<std::string> keys{"ghcr.io/acme", "ghcr.io/acme/team", "ghcr.io/acm"};
  EXPECT_EQ(choose_auths_entry(keys, "ghcr.io", "acme/team/api"), 1u);
  EXPECT_EQ(choose_auths_entry(keys, "ghcr.io", "acme/api"), 0u);
  EXPECT_EQ(choose_auths_entry(keys, "ghcr.io", "acmecorp/api"), std::nullopt);
  EXPECT_EQ(choose_auths_entry(keys, "quay.io", "acme/api"), std::nullopt);
  EXPECT_EQ(choose_auths_entry(keys, "", "acme/api"), std::nullopt);
}

TEST(DockerConfig, HostWithPortMustMatchExactly) {
  std::vector<std::string> keys{"myreg:5000", "myreg"};
  EXPECT_EQ(choose_auths_entry(keys, "myreg:5000"), 0u);
  EXPECT_EQ(choose_auths_entry(keys, "http://myreg"), 1u);
  EXPECT_EQ(choose_auths_entry(keys, "myreg:5001"), std::nullopt);
}

TEST(DockerConfig, AllDockerHubAliasesMatchTheDockerHubEndpoint) {
  for (const char* key : {"https://index.docker.io/v1/", "docker.io", "index.docker.io",
                          "registry-1.docker.io", "https://registry-1.docker.io/v2/"}) {
    std::vector<std::string> keys{"quay.io", key};
    EXPECT_EQ(choose_auths_entry(keys, "registry-1.docker.io", "library/nginx"), 1u) << key;
    EXPECT_EQ(choose_auths_entry(keys, "https://registry-1.docker.io"), 1u) << key;
    EXPECT_EQ(choose_auths_entry(keys, "docker.io"), 1u) << key;
  }
  // A key written exactly like the endpoint host wins a tie between aliases.
  std::vector<std::string> keys{"https://index.docker.io/v1/", "registry-1.docker.io"};
  EXPECT_EQ(choose_auths_entry(keys, "registry-1.docker.io"), 1u);
  // A Docker Hub key with a path fits every alias too.
  std::vector<std::string> scoped{"docker.io/acme"};
  EXPECT_EQ(choose_auths_entry(scoped, "registry-1.docker.io", "acme/app"), 0u);
  EXPECT_EQ(choose_auths_entry(scoped, "registry-1.docker.io", "other/app"), std::nullopt);
}

TEST(DockerConfig, DecodesAuthOrUsernamePassword) {
  // "alice:s3cr:et" in base64: the password keeps everything after the first colon.
  auto c = credential_from_docker_config(R"({"auths":{"ghcr.io":{"auth":"YWxpY2U6czNjcjpldA=="}}})",
                                         "ghcr.io", "", "pullsecret:a/b");
  EXPECT_EQ(c.username, "alice");
  EXPECT_EQ(c.password, "s3cr:et");
  EXPECT_EQ(c.identity, "pullsecret:a/b");

  c = credential_from_docker_config(
      R"({"auths":{"ghcr.io":{"username":"bob","password":"pw","auth":""}}})", "ghcr.io", "",
      "pullsecret:a/b");
  EXPECT_EQ(c.username, "bob");
  EXPECT_EQ(c.password, "pw");
}

std::string error_of(std::string_view json, std::string_view host = "ghcr.io") {
  try {
    credential_from_docker_config(json, host, "", "pullsecret:argocd/regcred");
  } catch (const CredentialError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for " << json;
  return {};
}

TEST(DockerConfig, ErrorsNameTheRefAndPartButNeverTheSecret) {
  EXPECT_EQ(
      error_of(R"({"auths": )"),
      "pullsecret:argocd/regcred: .dockerconfigjson: invalid JSON at offset 10: Invalid value.");
  EXPECT_EQ(error_of("[]"), "pullsecret:argocd/regcred: .dockerconfigjson: expected a JSON object");
  EXPECT_EQ(error_of("{}"), "pullsecret:argocd/regcred: .dockerconfigjson: missing \"auths\"");
  EXPECT_EQ(error_of(R"({"auths":[]})"),
            "pullsecret:argocd/regcred: .dockerconfigjson: \"auths\" is not an object");
  EXPECT_EQ(error_of(R"({"auths":{"quay.io":{}}})"),
            "pullsecret:argocd/regcred: .dockerconfigjson: no \"auths\" entry for registry "
            "\"ghcr.io\" (entries: \"quay.io\")");
  EXPECT_EQ(error_of(R"({"auths":{"ghcr.io":{}}})", ""),
            "pullsecret:argocd/regcred: .dockerconfigjson: no registry host given to choose an "
            "\"auths\" entry");
  EXPECT_EQ(error_of(R"({"auths":{"ghcr.io":{"auth":"not base64!"}}})"),
            "pullsecret:argocd/regcred: auths[\"ghcr.io\"].auth: invalid base64");
  // base64 of "nocolonhere".
  EXPECT_EQ(error_of(R"({"auths":{"ghcr.io":{"auth":"bm9jb2xvbmhlcmU="}}})"),
            "pullsecret:argocd/regcred: auths[\"ghcr.io\"].auth: decoded value is not in the form "
            "user:password");
  EXPECT_EQ(error_of(R"({"auths":{"ghcr.io":{"auth":42}}})"),
            "pullsecret:argocd/regcred: auths[\"ghcr.io\"].auth: expected a string");
  EXPECT_EQ(error_of(R"({"auths":{"ghcr.io":{}}})"),
            "pullsecret:argocd/regcred: auths[\"ghcr.io\"]: neither \"auth\" nor "
            "\"username\"/\"password\" is set");
  EXPECT_EQ(error_of(R"({"auths":{"ghcr.io":{"username":"bob"}}})"),
            "pullsecret:argocd/regcred: auths[\"ghcr.io\"].password: missing or not a string");
  const std::string with_password = error_of(R"({"auths":{"ghcr.io":{"password":"hunter2"}}})");
  EXPECT_EQ(with_password.find("hunter2"), std::string::npos);
  EXPECT_NE(with_password.find(".username"), std::string::npos);
}

TEST(DockerConfig, Base64IsStrict) {
  EXPECT_EQ(decode_base64("dXNlcjpwYXNz"), "user:pass");
  EXPECT_EQ(decode_base64("YQ=="), "a");
  EXPECT_EQ(decode_base64("YWI="), "ab");
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_EQ(decode_base64("YQ"), std::nullopt);         // padding required
  EXPECT_EQ(decode_base64("YQ=a"), std::nullopt);       // padding only at the end
  EXPECT_EQ(decode_base64("Y==="), std::nullopt);       // at most two padding characters
  EXPECT_EQ(decode_base64("dXNl cjpw"), std::nullopt);  // no whitespace
  EXPECT_EQ(decode_base64("dXNl-jpw"), std::nullopt);   // URL alphabet is not standard
}

}  // namespace
}  // namespace iu::credentials
