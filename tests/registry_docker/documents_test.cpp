// Unit tests of the document parsers: manifests and indexes (including malformed input and
// schema 1), image configs, tag list pages, token responses and registry error bodies.
#include "iu/dockerv2/documents.hpp"

#include <gtest/gtest.h>

#include <string>

namespace dv2 = iu::dockerv2;

namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

// The status and message of the DocumentError `fn` throws.
template <typename Fn>
std::pair<iu_status, std::string> document_error(Fn&& fn) {
  try {
    fn();
  } catch (const dv2::DocumentError& e) {
    return {e.status(), e.what()};
  }
  ADD_FAILURE() << "no DocumentError thrown";
  return {IU_STATUS_OK, ""};
}

// ---- manifests --------------------------------------------------------------------------

std::string docker_manifest(const std::string& config_digest) {
  return R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
         R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":10,)"
         R"("digest":")" +
         config_digest + R"("},"layers":[]})";
}

TEST(Manifest, DockerSchema2) {
  auto m = dv2::parse_manifest(docker_manifest(kDigestA), "");
  EXPECT_EQ(m.media_type, dv2::media_type::docker_manifest);
  EXPECT_FALSE(m.is_index);
  EXPECT_EQ(m.config_digest, kDigestA);
  EXPECT_TRUE(m.children.empty());
  EXPECT_TRUE(m.digest.empty());
}

TEST(Manifest, OciIndexWithPlatforms) {
  std::string body = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
    "manifests":[
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                     kDigestA + R"(",
       "size":401,"platform":{"architecture":"amd64","os":"linux"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                     kDigestB + R"(",
       "size":401,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                     kDigestB + R"(",
       "size":401}]})";
  auto m = dv2::parse_manifest(body, "application/vnd.oci.image.index.v1+json");
  EXPECT_TRUE(m.is_index);
  ASSERT_EQ(m.children.size(), 3u);
  EXPECT_EQ(m.children[0].digest, kDigestA);
  EXPECT_EQ(m.children[0].platform.os, "linux");
  EXPECT_EQ(m.children[0].platform.architecture, "amd64");
  EXPECT_EQ(m.children[0].platform.variant, "");
  EXPECT_EQ(m.children[1].platform.variant, "v8");
  EXPECT_EQ(m.children[1].media_type, dv2::media_type::oci_manifest);
  EXPECT_EQ(m.children[2].platform.os, "");
}

TEST(Manifest, MediaTypeFromHeaderOrShape) {
  std::string no_type = R"({"schemaVersion":2,"config":{"digest":")" + kDigestA + R"("}})";
  EXPECT_EQ(dv2::parse_manifest(
                no_type, "application/vnd.docker.distribution.manifest.v2+json; charset=utf-8")
                .media_type,
            dv2::media_type::docker_manifest);
  EXPECT_EQ(dv2::parse_manifest(no_type, "application/json").media_type,
            dv2::media_type::oci_manifest);
  EXPECT_TRUE(dv2::parse_manifest(R"({"schemaVersion":2,"manifests":[]})", "").is_index);
  EXPECT_EQ(dv2::parse_manifest(R"({"schemaVersion":2,"manifests":[]})",
                                "application/vnd.docker.distribution.manifest.list.v2+json")
                .media_type,
            dv2::media_type::docker_list);
}

TEST(Manifest, Schema1IsUnsupported) {
  auto [st, msg] = document_error(
      [] { dv2::parse_manifest(R"({"schemaVersion":1,"name":"x","tag":"y","fsLayers":[]})", ""); });
  EXPECT_EQ(st, IU_STATUS_UNSUPPORTED);
  EXPECT_NE(msg.find("schema 1"), std::string::npos) << msg;
  auto [st2, msg2] = document_error([] {
    dv2::parse_manifest("not even json",
                        "application/vnd.docker.distribution.manifest.v1+prettyjws");
  });
  EXPECT_EQ(st2, IU_STATUS_UNSUPPORTED);
  EXPECT_NE(msg2.find("v1+prettyjws"), std::string::npos) << msg2;
  auto [st3, msg3] = document_error([] { dv2::parse_manifest(R"({"fsLayers":[]})", ""); });
  EXPECT_EQ(st3, IU_STATUS_UNSUPPORTED);
}

TEST(Manifest, MalformedJsonNamesTheOffset) {
  auto [st, msg] = document_error([] { dv2::parse_manifest(R"({"schemaVersion":2,,})", ""); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_EQ(msg.rfind("invalid JSON at offset 19: ", 0), 0u) << msg;
  EXPECT_EQ(document_error([] {
              dv2::parse_manifest("", "");
            }).second.rfind("invalid JSON at offset 0", 0),
            0u);
  EXPECT_EQ(document_error([] { dv2::parse_manifest("{} trailing", ""); }).first,
            IU_STATUS_INTERNAL);
  EXPECT_EQ(document_error([] { dv2::parse_manifest("{\"a\":\"\xff\"}", ""); }).first,
            IU_STATUS_INTERNAL);
}

TEST(Manifest, WrongShapesNameTheField) {
  auto msg = [](const std::string& body) {
    return document_error([&] { dv2::parse_manifest(body, ""); }).second;
  };
  EXPECT_EQ(msg("[]"), "an invalid manifest: expected an object, found an array");
  EXPECT_EQ(msg(R"({"schemaVersion":"2","config":{}})"),
            "an invalid manifest: schemaVersion: expected an integer, found a string");
  EXPECT_EQ(msg(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})"),
            "an invalid manifest: config: missing");
  EXPECT_EQ(msg(R"({"config":{"digest":"sha256:abc"}})"),
            "an invalid manifest: config.digest: invalid digest \"sha256:abc\"");
  EXPECT_EQ(msg(R"({"manifests":[{"digest":")" + kDigestA + R"(","platform":{"os":7}}]})"),
            "an invalid manifest: manifests[0].platform.os: expected a string, found a number");
  EXPECT_EQ(msg(R"({"manifests":[{"digest":")" + kDigestA + R"("},{"size":1}]})"),
            "an invalid manifest: manifests[1].digest: missing");
  EXPECT_EQ(msg(R"({"manifests":{}})"),
            "an invalid manifest: manifests: expected an array, found an object");
  EXPECT_EQ(msg(R"({"schemaVersion":2})"),
            "an invalid manifest: no mediaType and neither manifests nor config");
}

TEST(Manifest, UnknownMediaTypeIsUnsupported) {
  auto [st, msg] = document_error([] {
    dv2::parse_manifest(
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.artifact.manifest.v1+json"})", "");
  });
  EXPECT_EQ(st, IU_STATUS_UNSUPPORTED);
  EXPECT_NE(msg.find("application/vnd.oci.artifact.manifest.v1+json"), std::string::npos);
  EXPECT_EQ(document_error([] { dv2::parse_manifest(R"({"schemaVersion":3})", ""); }).first,
            IU_STATUS_UNSUPPORTED);
}

TEST(Manifest, AcceptHeaderListsTheFourSupportedTypes) {
  const std::string& accept = dv2::manifest_accept_header();
  for (auto t : {dv2::media_type::oci_index, dv2::media_type::docker_list,
                 dv2::media_type::oci_manifest, dv2::media_type::docker_manifest})
    EXPECT_NE(accept.find(t), std::string::npos) << t;
  EXPECT_EQ(accept.find("distribution.manifest.v1"), std::string::npos);  // no schema 1
}

// ---- image configs ----------------------------------------------------------------------

TEST(ImageConfig, CreatedPlatformAndLabels) {
  auto c = dv2::parse_image_config(R"({"created":"2024-01-01T00:00:00Z","architecture":"arm64",
      "os":"linux","variant":"v8","config":{"Env":["A=1"],"Labels":{"a":"1","org.x.y":"2"}},
      "rootfs":{"type":"layers","diff_ids":[]}})");
  EXPECT_EQ(c.created, "2024-01-01T00:00:00Z");
  EXPECT_EQ(c.platform.os, "linux");
  EXPECT_EQ(c.platform.architecture, "arm64");
  EXPECT_EQ(c.platform.variant, "v8");
  ASSERT_EQ(c.labels.size(), 2u);
  EXPECT_EQ(c.labels[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(c.labels[1], (std::pair<std::string, std::string>{"org.x.y", "2"}));
}

TEST(ImageConfig, AbsentOrNullFieldsAreEmpty) {
  auto c = dv2::parse_image_config(R"({"config":{"Labels":null},"created":null})");
  EXPECT_EQ(c.created, "");
  EXPECT_TRUE(c.labels.empty());
  EXPECT_TRUE(dv2::parse_image_config("{}").platform.os.empty());
}

TEST(ImageConfig, MalformedInput) {
  auto msg = [](const std::string& body) {
    return document_error([&] { dv2::parse_image_config(body); }).second;
  };
  EXPECT_EQ(msg(R"({"created":12})"),
            "an invalid image config: created: expected a string, found a number");
  EXPECT_EQ(msg(R"({"config":{"Labels":{"org.x":1}}})"),
            "an invalid image config: config.Labels[\"org.x\"]: expected a string, found a number");
  EXPECT_EQ(msg(R"({"config":[]})"),
            "an invalid image config: config: expected an object, found an array");
  EXPECT_EQ(msg(R"({"created":"x")").rfind("invalid JSON at offset 14", 0), 0u);
}

// ---- tag pages, tokens, error bodies ----------------------------------------------------

TEST(TagPage, TagsInOrder) {
  EXPECT_EQ(dv2::parse_tag_page(R"({"name":"a/b","tags":["latest","1.0","0.9"]})"),
            (std::vector<std::string>{"latest", "1.0", "0.9"}));
  EXPECT_TRUE(dv2::parse_tag_page(R"({"name":"a/b","tags":null})").empty());
  EXPECT_TRUE(dv2::parse_tag_page(R"({"name":"a/b"})").empty());
}

TEST(TagPage, MalformedInput) {
  auto msg = [](const std::string& body) {
    return document_error([&] { dv2::parse_tag_page(body); }).second;
  };
  EXPECT_EQ(msg(R"({"tags":["a",1]})"),
            "an invalid tag list: tags[1]: expected a string, found a number");
  EXPECT_EQ(msg(R"({"tags":"a"})"), "an invalid tag list: tags: expected an array, found a string");
  EXPECT_EQ(msg(R"({"tags":[""]})"), "an invalid tag list: tags[0]: empty tag");
  EXPECT_EQ(msg(R"({"name":"acme/api","tags":["a" "b"]})"),
            "invalid JSON at offset 31: missing a comma or ']' after an array element");
}

TEST(TokenResponse, TokenOrAccessToken) {
  auto t = dv2::parse_token_response(R"({"token":"abc","expires_in":300,"issued_at":"x"})");
  EXPECT_EQ(t.token, "abc");
  EXPECT_EQ(t.expires_in, 300);
  auto a = dv2::parse_token_response(R"({"access_token":"xyz"})");
  EXPECT_EQ(a.token, "xyz");
  EXPECT_EQ(a.expires_in, std::nullopt);
  EXPECT_EQ(
      dv2::parse_token_response(R"({"token":"","access_token":"q","expires_in":60.0})").expires_in,
      60);
}

TEST(TokenResponse, MissingTokenOrBadExpiry) {
  auto [st, msg] = document_error([] { dv2::parse_token_response(R"({"expires_in":10})"); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_EQ(msg, "an invalid token response: neither token nor access_token is set");
  EXPECT_EQ(document_error([] {
              dv2::parse_token_response(R"({"token":"a","expires_in":"10"})");
            }).second,
            "an invalid token response: expires_in: expected a number of seconds, found a string");
}

TEST(ErrorBody, SummaryOfRegistryErrors) {
  EXPECT_EQ(
      dv2::error_body_summary(
          R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]})"),
      "MANIFEST_UNKNOWN: manifest unknown");
  EXPECT_EQ(dv2::error_body_summary(R"({"errors":[{"code":"A"},{"code":"B","message":"b"}]})"),
            "A; B: b");
  EXPECT_EQ(dv2::error_body_summary("<html>502 Bad Gateway</html>"), "");
  EXPECT_EQ(dv2::error_body_summary(""), "");
  std::string long_message(500, 'x');
  EXPECT_EQ(
      dv2::error_body_summary(R"({"errors":[{"code":"C","message":")" + long_message + R"("}]})")
          .size(),
      200u);
  EXPECT_EQ(dv2::error_body_summary("{\"errors\":[{\"code\":\"C\",\"message\":\"a\\nb\"}]}"),
            "C: a?b");
}

}  // namespace
