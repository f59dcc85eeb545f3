// Manifests and config blobs through the client: GET and HEAD, digests from the header or
// computed, verification of content fetched by digest, schema 1, limits and request labels.
#include "client_fixture.hpp"
#include "iu/dockerv2/digest.hpp"
#include "iu/dockerv2/documents.hpp"

namespace iu::test {
namespace {

using Auth = FakeRegistry::Auth;
namespace mt = dockerv2::media_type;

const std::string kConfig =
    R"({"created":"2024-03-01T10:00:00Z","architecture":"arm64","os":"linux","variant":"v8",)"
    R"("config":{"Labels":{"org.opencontainers.image.version":"1.2.3"}}})";

std::string image_manifest(const std::string& config_digest) {
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
         R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
         config_digest + R"(","size":1},"layers":[]})";
}

class ManifestTest : public ClientTest {
 protected:
  void SetUp() override {
    FakeRegistry& reg = serve(Auth::bearer);
    config_digest_ = reg.put_blob(kConfig);
    child_ = reg.put_manifest("acme/api", "", std::string(mt::oci_manifest),
                              image_manifest(config_digest_));
    index_body_ = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
                  R"("manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                  R"("digest":")" +
                  child_ +
                  R"(","size":1,"platform":{"os":"linux",)"
                  R"("architecture":"arm64","variant":"v8"}}]})";
    index_ = reg.put_manifest("acme/api", "1.0", std::string(mt::oci_index), index_body_);
  }
  std::string config_digest_, child_, index_, index_body_;
};

TEST_F(ManifestTest, IndexByTagWithChildrenAndDigest) {
  dockerv2::Client client(options());
  sdk::Manifest m = client.get_manifest(call_, request("acme/api", true), "1.0");
  EXPECT_EQ(m.digest, index_);
  EXPECT_EQ(m.digest, dockerv2::compute_digest("sha256", index_body_).str());
  EXPECT_TRUE(m.is_index);
  EXPECT_EQ(m.media_type, mt::oci_index);
  ASSERT_EQ(m.children.size(), 1u);
  EXPECT_EQ(m.children[0].digest, child_);
  EXPECT_EQ(m.children[0].platform.variant, "v8");
  auto get = host_.requests().back();
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(get.op, "manifest");
  EXPECT_EQ(get.max_body_bytes, 4u << 20);
  EXPECT_EQ(get.header("Accept"), dockerv2::manifest_accept_header());
}

TEST_F(ManifestTest, ChildByDigestThenConfigBlob) {
  dockerv2::Client client(options());
  sdk::Manifest m = client.get_manifest(call_, request("acme/api", true), child_);
  EXPECT_FALSE(m.is_index);
  EXPECT_EQ(m.digest, child_);
  EXPECT_EQ(m.config_digest, config_digest_);
  sdk::ImageConfig c = client.get_image_config(call_, request("acme/api", true), m.config_digest);
  EXPECT_EQ(c.created, "2024-03-01T10:00:00Z");
  EXPECT_EQ(c.platform.architecture, "arm64");
  ASSERT_EQ(c.labels.size(), 1u);
  EXPECT_EQ(c.labels[0].second, "1.2.3");
  auto blob = host_.requests().back();
  EXPECT_EQ(blob.op, "blob");
  EXPECT_EQ(blob.url, "http://reg.test/v2/acme/api/blobs/" + config_digest_);
  EXPECT_NE(blob.flags & IU_HTTP_FOLLOW_REDIRECTS, 0u);
  EXPECT_EQ(blob.max_body_bytes, 8u << 20);
  EXPECT_EQ(host_.count("token"), 1u);
}

TEST_F(ManifestTest, HeadOnlyUsesTheDigestHeader) {
  dockerv2::Client client(options());
  sdk::Manifest m = client.get_manifest(call_, request("acme/api", true), "1.0", true);
  EXPECT_EQ(m.digest, index_);
  EXPECT_TRUE(m.is_index);
  EXPECT_TRUE(m.children.empty());
  EXPECT_EQ(host_.count("manifest"), 1u);
  EXPECT_EQ(host_.requests().back().method, "HEAD");
}

TEST_F(ManifestTest, HeadWithoutDigestHeaderFallsBackToGet) {
  registry_->intercept = [](const SeenRequest& r) -> std::optional<Reply> {
    if (r.method != "HEAD") return std::nullopt;
    return Reply{200, {{"Content-Type", "application/vnd.oci.image.index.v1+json"}}, ""};
  };
  dockerv2::Client client(options());
  sdk::Manifest m = client.get_manifest(call_, request("acme/api", true), "1.0", true);
  EXPECT_EQ(m.digest, index_);
  EXPECT_EQ(m.children.size(), 1u);
  EXPECT_EQ(host_.count("manifest"), 2u);
}

TEST_F(ManifestTest, ContentNotMatchingTheRequestedDigestIsRefused) {
  std::string forged = image_manifest(config_digest_) + " ";
  registry_->intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "manifest") return std::nullopt;
    return Reply{200, {{"Content-Type", std::string(mt::oci_manifest)}}, forged};
  };
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { client.get_manifest(call_, request("acme/api", true), child_); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_EQ(msg, "registry reg.test: GET /v2/acme/api/manifests/" + child_ +
                     ": content does not match the requested digest (it hashes to " +
                     dockerv2::compute_digest("sha256", forged).str() + ")");
}

TEST_F(ManifestTest, ContentNotMatchingDockerContentDigestIsRefused) {
  registry_->intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "manifest") return std::nullopt;
    return Reply{200,
                 {{"Content-Type", std::string(mt::oci_index)}, {"Docker-Content-Digest", child_}},
                 index_body_};
  };
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { client.get_manifest(call_, request("acme/api", true), "1.0"); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_NE(msg.find("does not match its Docker-Content-Digest " + child_), std::string::npos);
}

TEST_F(ManifestTest, ConfigBlobNotMatchingItsDigestIsRefused) {
  registry_->intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "blob") return std::nullopt;
    return Reply{200, {}, R"({"created":"2099-01-01T00:00:00Z"})"};
  };
  dockerv2::Client client(options());
  auto [st, msg] =
      error_of([&] { client.get_image_config(call_, request("acme/api", true), config_digest_); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_EQ(msg.rfind("registry reg.test: GET /v2/acme/api/blobs/" + config_digest_ +
                          ": content does not match the requested digest",
                      0),
            0u)
      << msg;
}

TEST_F(ManifestTest, Schema1IsUnsupported) {
  registry_->put_manifest("acme/api", "old", std::string(mt::docker_schema1_signed),
                          R"({"schemaVersion":1,"name":"acme/api","tag":"old","fsLayers":[]})");
  dockerv2::Client client(options());
  for (bool head : {false, true}) {
    auto [st, msg] =
        error_of([&] { client.get_manifest(call_, request("acme/api", true), "old", head); });
    EXPECT_EQ(st, IU_STATUS_UNSUPPORTED);
    EXPECT_EQ(msg, std::string("registry reg.test: ") + (head ? "HEAD" : "GET") +
                       " /v2/acme/api/manifests/old: HTTP 200 with a schema 1 manifest "
                       "(application/vnd.docker.distribution.manifest.v1+prettyjws), which is "
                       "not supported: push the image with a Docker schema 2 or OCI manifest");
  }
}

TEST_F(ManifestTest, MalformedManifestAndMissingTag) {
  registry_->put_manifest("acme/api", "bad", std::string(mt::oci_manifest), R"({"config":)");
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { client.get_manifest(call_, request("acme/api", true), "bad"); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_EQ(msg.rfind("registry reg.test: GET /v2/acme/api/manifests/bad: HTTP 200 with invalid "
                      "JSON at offset 10",
                      0),
            0u)
      << msg;
  auto [st2, msg2] =
      error_of([&] { client.get_manifest(call_, request("acme/api", true), "nope"); });
  EXPECT_EQ(st2, IU_STATUS_NOT_FOUND);
  EXPECT_EQ(msg2,
            "registry reg.test: GET /v2/acme/api/manifests/nope: HTTP 404: MANIFEST_UNKNOWN: "
            "manifest unknown");
}

TEST_F(ManifestTest, InvalidReferencesAreConfigurationErrors) {
  dockerv2::Client client(options());
  for (const std::string& bad :
       std::vector<std::string>{"../x", "a/b", "-lead", "sha256:short", std::string(129, 'a')}) {
    auto [st, msg] = error_of([&] { client.get_manifest(call_, request("acme/api", true), bad); });
    EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT) << bad;
  }
  auto [st, msg] =
      error_of([&] { client.get_image_config(call_, request("acme/api", true), "latest"); });
  EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(msg, "registry reg.test: repository acme/api: invalid config digest \"latest\"");
  EXPECT_EQ(host_.count("manifest") + host_.count("blob"), 0u);
}

TEST_F(ManifestTest, ManifestOverTheSizeLimitFails) {
  registry_->put_manifest("acme/api", "huge", std::string(mt::oci_manifest),
                          std::string((4u << 20) + 1, ' '));
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { client.get_manifest(call_, request("acme/api", true), "huge"); });
  EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(msg.find("4 MiB limit"), std::string::npos) << msg;
}

}  // namespace
}  // namespace iu::test
