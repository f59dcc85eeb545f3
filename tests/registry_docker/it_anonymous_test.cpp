// Integration: the registry-docker plugin against a real distribution registry without auth.
// Tags, digests, created times and labels must equal what skopeo reports for the same images;
// multi-arch indexes carry their children's platforms; a re-pushed tag shows its new digest.
#include <filesystem>
#include <fstream>
#include <memory>

#include "fixture_servers.hpp"
#include "it_support.hpp"
#include "plugin_under_test.hpp"
#include "test_transport.hpp"

namespace iu::test {
namespace {

constexpr const char* kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

class AnonymousRegistryIT : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      dir_ = std::make_unique<TempDir>();
      server_ =
          std::make_unique<RegistryServer>(dir_->path() / "registry", std::vector<std::string>{});
      // One populate.py run for every repository (each run costs a Python start).
      const std::filesystem::path spec = dir_->path() / "spec.json";
      std::ofstream(spec) << R"({"repos": [
        {"name": "org/app", "tags": ["1.0.0", "1.0.1", "latest"]},
        {"name": "org/multi", "tags": ["1.0", "2.0"], "multiarch": true, "format": "oci"},
        {"name": "org/list", "tags": ["3.0"], "multiarch": true, "format": "docker"},
        {"name": "org/moving", "tags": ["stable"]}]})";
      populated_ = populate(server_->host(), {"--spec", spec.string()}, dir_->path());
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    server_.reset();
    dir_.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    services_ = install_recording_services();
    services_->transport().configure(server_->host(), "", false);
    registry_ = make_registry(server_->url(), server_->host(), server_->host());
  }

  std::string image(const std::string& repo_tag) const {
    return "docker://" + server_->host() + "/" + repo_tag;
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<RegistryServer> server_;
  static inline std::string populated_, setup_error_;
  std::shared_ptr<RecordingServices> services_;
  std::unique_ptr<plugin_host::RegistryInstance> registry_;
  const plugin_host::Credentials anonymous_{};
};

TEST_F(AnonymousRegistryIT, TagsEqualSkopeoListTags) {
  auto tags = registry_->list_tags("org/app", anonymous_);
  auto sk = parse_json(skopeo({"list-tags", "--tls-verify=false", image("org/app")}));
  std::vector<std::string> expected;
  for (const auto& t : sk["Tags"].GetArray()) expected.emplace_back(t.GetString());
  EXPECT_EQ(tag_names(tags), expected);  // same order: the registry's
  for (const auto& t : tags) {
    EXPECT_TRUE(t.digest.empty());
    EXPECT_EQ(t.pushed_at_ms, IU_TIME_UNKNOWN);
  }
  EXPECT_EQ(services_->count("ping"), 1u);
  EXPECT_EQ(services_->count("tags"), 1u);
}

TEST_F(AnonymousRegistryIT, DigestsEqualSkopeoRawManifests) {
  auto populated = parse_json(populated_);
  for (const char* tag : {"1.0.0", "1.0.1", "latest"}) {
    SCOPED_TRACE(tag);
    auto m = registry_->get_manifest("org/app", anonymous_, tag);
    std::string raw =
        skopeo({"inspect", "--raw", "--tls-verify=false", image(std::string("org/app:") + tag)});
    EXPECT_EQ(m.digest, sha256_of(raw));
    EXPECT_EQ(m.digest, json_string(populated, {"org/app", tag, "digest"}));
    EXPECT_EQ(m.media_type, kDockerManifest);
    EXPECT_FALSE(m.is_index);
    EXPECT_EQ(m.config_digest, json_string(populated, {"org/app", tag, "config"}));
    auto head = registry_->get_manifest("org/app", anonymous_, tag, IU_MANIFEST_HEAD_ONLY);
    EXPECT_EQ(head.digest, m.digest);
    EXPECT_EQ(head.media_type, kDockerManifest);
  }
  for (const auto& e : services_->exchanges()) EXPECT_FALSE(e.authorization) << e.url;
}

TEST_F(AnonymousRegistryIT, CreatedAndLabelsEqualSkopeoConfig) {
  for (const char* tag : {"1.0.0", "1.0.1", "latest"}) {
    SCOPED_TRACE(tag);
    auto m = registry_->get_manifest("org/app", anonymous_, tag);
    auto c = registry_->get_image_config("org/app", anonymous_, m.config_digest);
    auto sk = parse_json(skopeo(
        {"inspect", "--config", "--tls-verify=false", image(std::string("org/app:") + tag)}));
    EXPECT_EQ(c.created, json_string(sk, {"created"}));
    EXPECT_EQ(c.platform.os, json_string(sk, {"os"}));
    EXPECT_EQ(c.platform.architecture, json_string(sk, {"architecture"}));
    const auto& labels = sk["config"]["Labels"];
    ASSERT_EQ(c.labels.size(), labels.MemberCount());
    for (const auto& [k, v] : c.labels) EXPECT_EQ(v, json_string(labels, {k.c_str()})) << k;
  }
  auto created = parse_json(skopeo({"inspect", "--tls-verify=false", image("org/app:1.0.1")}));
  auto m = registry_->get_manifest("org/app", anonymous_, "1.0.1");
  EXPECT_EQ(registry_->get_image_config("org/app", anonymous_, m.config_digest).created,
            json_string(created, {"Created"}));
}

TEST_F(AnonymousRegistryIT, MultiArchIndexesCarryChildPlatforms) {
  struct Case {
    const char *repo, *tag, *media_type;
  };
  auto populated = parse_json(populated_);
  for (const Case& k :
       {Case{"org/multi", "1.0", "application/vnd.oci.image.index.v1+json"},
        Case{"org/list", "3.0", "application/vnd.docker.distribution.manifest.list.v2+json"}}) {
    SCOPED_TRACE(k.repo);
    const std::string ref = std::string(k.repo) + ":" + k.tag;
    auto m = registry_->get_manifest(k.repo, anonymous_, k.tag);
    EXPECT_TRUE(m.is_index);
    EXPECT_EQ(m.media_type, k.media_type);
    EXPECT_EQ(m.digest, sha256_of(skopeo({"inspect", "--raw", "--tls-verify=false", image(ref)})));
    EXPECT_EQ(m.digest, json_string(populated, {k.repo, k.tag, "digest"}));
    ASSERT_EQ(m.children.size(), 2u);
    EXPECT_EQ(m.children[0].platform.os, "linux");
    EXPECT_EQ(m.children[0].platform.architecture, "amd64");
    EXPECT_EQ(m.children[0].platform.variant, "");
    EXPECT_EQ(m.children[1].platform.os, "linux");
    EXPECT_EQ(m.children[1].platform.architecture, "arm64");
    EXPECT_EQ(m.children[1].platform.variant, "v8");
    EXPECT_EQ(m.children[0].digest,
              json_string(populated, {k.repo, k.tag, "platforms", "linux/amd64"}));
    EXPECT_EQ(m.children[1].digest,
              json_string(populated, {k.repo, k.tag, "platforms", "linux/arm64/v8"}));
    for (const auto& child : m.children) {
      auto cm = registry_->get_manifest(k.repo, anonymous_, child.digest);  // verified by digest
      EXPECT_EQ(cm.digest, child.digest);
      auto cfg = registry_->get_image_config(k.repo, anonymous_, cm.config_digest);
      EXPECT_EQ(cfg.platform.architecture, child.platform.architecture);
      EXPECT_EQ(cfg.platform.variant, child.platform.variant);
      std::vector<std::string> args{"--override-os", "linux", "--override-arch",
                                    child.platform.architecture};
      if (!child.platform.variant.empty()) {
        args.push_back("--override-variant");
        args.push_back(child.platform.variant);
      }
      for (const char* a : {"inspect", "--config", "--tls-verify=false"}) args.push_back(a);
      args.push_back(image(ref));
      EXPECT_EQ(cfg.created, json_string(parse_json(skopeo(args)), {"created"}));
    }
  }
}

TEST_F(AnonymousRegistryIT, DigestMoveIsSeen) {
  auto before = registry_->get_manifest("org/moving", anonymous_, "stable", IU_MANIFEST_HEAD_ONLY);
  populate(server_->host(),
           {"--repo", "org/moving", "--retag", "stable", "--created", "2025-06-01T00:00:00Z"},
           dir_->path(), false);
  auto after = registry_->get_manifest("org/moving", anonymous_, "stable", IU_MANIFEST_HEAD_ONLY);
  EXPECT_NE(after.digest, before.digest);
  EXPECT_EQ(
      after.digest,
      sha256_of(skopeo({"inspect", "--raw", "--tls-verify=false", image("org/moving:stable")})));
  auto full = registry_->get_manifest("org/moving", anonymous_, "stable");
  EXPECT_EQ(full.digest, after.digest);
  EXPECT_EQ(registry_->get_image_config("org/moving", anonymous_, full.config_digest).created,
            "2025-06-01T00:00:00Z");
  // The old manifest is still there by digest (content verified against it).
  EXPECT_EQ(registry_->get_manifest("org/moving", anonymous_, before.digest).digest, before.digest);
}

TEST_F(AnonymousRegistryIT, MissingThingsAreNotFound) {
  const std::string reg = "registry " + server_->host() + ": ";
  auto [st, msg] = plugin_error([&] { registry_->get_manifest("org/app", anonymous_, "9.9.9"); });
  EXPECT_EQ(st, IU_STATUS_NOT_FOUND);
  EXPECT_EQ(msg,
            "registry \"docker-v2\": manifest org/app:9.9.9: " + reg +
                "GET /v2/org/app/manifests/9.9.9: HTTP 404: MANIFEST_UNKNOWN: manifest unknown");
  auto [st2, msg2] = plugin_error([&] { registry_->list_tags("org/nope", anonymous_); });
  EXPECT_EQ(st2, IU_STATUS_NOT_FOUND);
  EXPECT_NE(msg2.find(reg + "GET /v2/org/nope/tags/list: HTTP 404: NAME_UNKNOWN"),
            std::string::npos)
      << msg2;
  const std::string missing = "sha256:" + std::string(64, '0');
  auto [st3, msg3] =
      plugin_error([&] { registry_->get_image_config("org/app", anonymous_, missing); });
  EXPECT_EQ(st3, IU_STATUS_NOT_FOUND);
  EXPECT_NE(msg3.find("GET /v2/org/app/blobs/" + missing + ": HTTP 404"), std::string::npos)
      << msg3;
}

}  // namespace
}  // namespace iu::test
