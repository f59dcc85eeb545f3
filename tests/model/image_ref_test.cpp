// Image references beyond the conformance vectors: the §5.3 table, the Stage B fallback, the
// alias rule, normalization, serialization and the error messages.
#include "model/image_ref.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace iu::model {

// Readable failures for EXPECT_EQ on whole references.
void PrintTo(const ImageRef& r, std::ostream* os) {
  *os << "{alias=" << r.alias << " domain=" << r.domain << " path=" << r.path
      << " registry=" << r.registry << " name=" << r.name << " version=" << r.version
      << " digest=" << r.digest << " stage=" << (r.stage == ParseStage::kStrict ? "A" : "B") << "}";
}

namespace {

const std::string kHex64(64, 'a');
const std::string kDigest = "sha256:" + kHex64;

ImageRef spec(std::string_view text) {
  std::string error;
  std::optional<ImageRef> ref = parse_image_spec(text, &error);
  EXPECT_TRUE(ref.has_value()) << "\"" << text << "\": " << error;
  return ref.value_or(ImageRef{});
}

std::string spec_error(std::string_view text) {
  std::string error;
  std::optional<ImageRef> ref = parse_image_spec(text, &error);
  EXPECT_FALSE(ref.has_value()) << "\"" << text << "\" accepted: name=" << ref->name;
  return error;
}

std::string reference_error(std::string_view text) {
  std::string error;
  std::optional<ImageRef> ref = parse_reference(text, &error);
  EXPECT_FALSE(ref.has_value()) << "\"" << text << "\" accepted: name=" << ref->name;
  return error;
}

// One row of the SPEC.md §5.3 table.
struct TableRow {
  std::string input;
  ParseStage stage;
  std::string registry;
  std::string name;
  std::string api_repository;
  std::string version;
  std::string digest;
  std::string alias;
};

class Section53Table : public ::testing::TestWithParam<TableRow> {};

TEST_P(Section53Table, ParsesToTheSpecifiedViews) {
  const TableRow& row = GetParam();
  const ImageRef ref = spec(row.input);
  EXPECT_EQ(ref.stage, row.stage);
  EXPECT_EQ(ref.registry, row.registry);
  EXPECT_EQ(ref.name, row.name);
  EXPECT_EQ(api_repository(ref), row.api_repository);
  EXPECT_EQ(ref.version, row.version);
  EXPECT_EQ(ref.digest, row.digest);
  EXPECT_EQ(ref.alias, row.alias);
}

INSTANTIATE_TEST_SUITE_P(
    Spec, Section53Table,
    ::testing::Values(TableRow{"nginx", ParseStage::kStrict, "", "nginx", "library/nginx", "", "",
                               ""},
                      TableRow{"docker.io/library/nginx:1.25", ParseStage::kStrict, "docker.io",
                               "nginx", "library/nginx", "1.25", "", ""},
                      TableRow{"nginx:~1.26", ParseStage::kFallback, "", "nginx", "library/nginx",
                               "~1.26", "", ""},
                      TableRow{"bitnami/redis:>=7 <8", ParseStage::kFallback, "", "bitnami/redis",
                               "bitnami/redis", ">=7 <8", "", ""},
                      TableRow{"myreg:5000/app:1.0", ParseStage::kStrict, "myreg:5000", "app",
                               "app", "1.0", "", ""},
                      TableRow{"host:5000/img:~1", ParseStage::kFallback, "host:5000", "img", "img",
                               "~1", "", ""},
                      TableRow{"ghcr.io/acme/api:latest@" + kDigest, ParseStage::kStrict, "ghcr.io",
                               "acme/api", "acme/api", "latest", kDigest, ""},
                      TableRow{"web=quay.io/org/web:^2", ParseStage::kFallback, "quay.io",
                               "org/web", "org/web", "^2", "", "web"}));

TEST(StageB, KeepsTheStrictViewOfTheName) {
  const ImageRef ref = spec("host:5000/img:~1");
  EXPECT_EQ(ref.domain, "host:5000");
  EXPECT_EQ(ref.path, "img");
  const ImageRef hub = spec("nginx:~1.26");
  EXPECT_EQ(hub.domain, "docker.io");
  EXPECT_EQ(hub.path, "library/nginx");
}

TEST(StageB, VersionIsAnyTextAfterTheFirstColonAfterTheLastSlash) {
  EXPECT_EQ(spec("nginx:>=1.0, <2.0 || 3.x").version, ">=1.0, <2.0 || 3.x");
  EXPECT_EQ(spec("registry.local:5000/team/web:^1.4").registry, "registry.local:5000");
  EXPECT_EQ(spec("registry.local:5000/team/web:^1.4").name, "team/web");
  EXPECT_EQ(spec("example.com/a:b:c").version, "b:c");
  // Not a valid tag, so Stage A refuses it; Stage B takes it as version text.
  const ImageRef dash = spec("nginx:-bad");
  EXPECT_EQ(dash.stage, ParseStage::kFallback);
  EXPECT_EQ(dash.version, "-bad");
}

TEST(StageB, DigestIsSplitAtTheLastAt) {
  const ImageRef ref = spec("nginx:~1@" + kDigest);
  EXPECT_EQ(ref.stage, ParseStage::kFallback);
  EXPECT_EQ(ref.version, "~1");
  EXPECT_EQ(ref.digest, kDigest);
}

TEST(StageB, ErrorsNameTheProblem) {
  EXPECT_EQ(spec_error("nginx:"), "invalid image reference \"nginx:\": empty version after ':'");
  EXPECT_EQ(spec_error("docker.io/library/nginx@sha256:short"),
            "invalid image reference \"docker.io/library/nginx@sha256:short\": invalid digest "
            "\"sha256:short\": sha256 needs 64 lower-case hex digits");
  EXPECT_EQ(spec_error("nginx:~1@md5:abc"),
            "invalid image reference \"nginx:~1@md5:abc\": invalid digest \"md5:abc\": "
            "unsupported algorithm \"md5\" (sha256, sha384, sha512)");
  EXPECT_EQ(spec_error("Nginx:~1"),
            "invalid image reference \"Nginx:~1\": repository name must be lowercase");
  EXPECT_EQ(spec_error("nginx:~1 "),
            "invalid image reference \"nginx:~1 \": leading or trailing whitespace");
  EXPECT_EQ(spec_error("a//b:~1"), "invalid image reference \"a//b:~1\": empty path component");
  EXPECT_EQ(spec_error(""), "empty image reference");
  EXPECT_EQ(spec_error("web="), "empty image reference");
}

TEST(Alias, SplitOnlyWhenThePrefixIsAValidAlias) {
  const ImageRef ge = spec("nginx:>=1.0");
  EXPECT_EQ(ge.alias, "");
  EXPECT_EQ(ge.name, "nginx");
  EXPECT_EQ(ge.version, ">=1.0");

  const ImageRef strict = spec("web=nginx:1.25");
  EXPECT_EQ(strict.alias, "web");
  EXPECT_EQ(strict.stage, ParseStage::kStrict);
  EXPECT_EQ(strict.version, "1.25");

  EXPECT_EQ(spec("My_app.v2-x=nginx").alias, "My_app.v2-x");
  // Only the first `=` separates; later ones belong to the version.
  const ImageRef two = spec("api=nginx:>=1 <=2");
  EXPECT_EQ(two.alias, "api");
  EXPECT_EQ(two.version, ">=1 <=2");
  // `-web` is not an alias, so the whole text is a (bad) reference.
  EXPECT_FALSE(parse_image_spec("-web=nginx").has_value());
}

TEST(Alias, PatternOfSection41) {
  EXPECT_TRUE(is_valid_alias("web"));
  EXPECT_TRUE(is_valid_alias("0a-b.c_d"));
  EXPECT_FALSE(is_valid_alias(""));
  EXPECT_FALSE(is_valid_alias("_web"));
  EXPECT_FALSE(is_valid_alias(".web"));
  EXPECT_FALSE(is_valid_alias("nginx:>"));
  EXPECT_FALSE(is_valid_alias("a/b"));
  EXPECT_FALSE(is_valid_alias("a b"));
}

TEST(StageA, RejectsWhatOnlyStageBAccepts) {
  EXPECT_EQ(reference_error("nginx:~1.26"),
            "invalid image reference \"nginx:~1.26\": invalid tag \"~1.26\" (allowed: "
            "[A-Za-z0-9_][A-Za-z0-9_.-]*, 128 characters at most)");
  EXPECT_FALSE(parse_reference("web=nginx").has_value());
}

TEST(StageA, ErrorMessages) {
  EXPECT_EQ(reference_error("Nginx"),
            "invalid image reference \"Nginx\": repository name must be lowercase");
  EXPECT_EQ(reference_error("app..x"),
            "invalid image reference \"app..x\": invalid repository path component \"app..x\"");
  EXPECT_EQ(reference_error("foo:bar/x"),
            "invalid image reference \"foo:bar/x\": invalid registry host \"foo:bar\"");
  EXPECT_EQ(reference_error(" nginx"),
            "invalid image reference \" nginx\": leading or trailing whitespace");
  EXPECT_EQ(reference_error(kHex64),
            "invalid image reference \"" + kHex64 +
                "\": a string of 64 hex digits is an image ID, not a repository name");
  EXPECT_EQ(reference_error(""), "empty image reference");
}

TEST(StageA, ImageIdRuleAppliesOnlyToTheBareString) {
  const std::optional<ImageRef> tagged = parse_reference(kHex64 + ":1");
  ASSERT_TRUE(tagged.has_value());
  EXPECT_EQ(tagged->path, "library/" + kHex64);
  EXPECT_EQ(tagged->version, "1");
}

TEST(StageA, NameIsAtMost255CharactersIncludingTheDomain) {
  // docker.io/ + x/ + 243 = 255 characters.
  EXPECT_TRUE(parse_reference("x/" + std::string(243, 'b')).has_value());
  EXPECT_NE(reference_error("x/" + std::string(244, 'b')).find("longer than 255"),
            std::string::npos);
}

TEST(StageA, DigestAlgorithms) {
  EXPECT_TRUE(parse_reference("a@sha384:" + std::string(96, 'f')).has_value());
  EXPECT_TRUE(parse_reference("a@sha512:" + std::string(128, '0')).has_value());
  EXPECT_FALSE(parse_reference("a@sha512:" + std::string(64, '0')).has_value());
  EXPECT_FALSE(parse_reference("a@sha256:" + std::string(64, 'A')).has_value());
  EXPECT_FALSE(parse_reference("a@" + kHex64).has_value());
  EXPECT_FALSE(parse_reference("a@").has_value());
  EXPECT_FALSE(parse_reference("a@" + kDigest + "@" + kDigest).has_value());
}

TEST(StageA, AcceptsIpv6Hosts) {
  const std::optional<ImageRef> ref = parse_reference("[::1]:5000/app");
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->domain, "[::1]:5000");
  EXPECT_EQ(ref->registry, "[::1]:5000");
  EXPECT_EQ(ref->path, "app");
  EXPECT_EQ(ref->name, "app");

  const std::optional<ImageRef> tagged = parse_reference("[fe80::1]/org/app:1.0");
  ASSERT_TRUE(tagged.has_value());
  EXPECT_EQ(tagged->domain, "[fe80::1]");
  EXPECT_EQ(tagged->path, "org/app");
  EXPECT_EQ(tagged->version, "1.0");

  EXPECT_EQ(spec("[::1]:5000/app:~1").version, "~1");
  EXPECT_EQ(spec("[::1]:5000/app:~1").registry, "[::1]:5000");
  EXPECT_FALSE(parse_reference("[]/app").has_value());
  EXPECT_FALSE(parse_reference("[::g]/app").has_value());
  EXPECT_FALSE(parse_reference("[::1]:/app").has_value());
}

TEST(Normalization, DockerHubSpellingsAreOneImage) {
  const std::vector<std::string> same = {"nginx",
                                         "docker.io/nginx",
                                         "docker.io/library/nginx",
                                         "library/nginx",
                                         "index.docker.io/nginx",
                                         "index.docker.io/library/nginx",
                                         "registry-1.docker.io/nginx",
                                         "registry-1.docker.io/library/nginx",
                                         "Docker.IO/library/nginx",
                                         "nginx:1.25",
                                         "nginx:~1.26",
                                         "nginx@" + kDigest};
  const ImageRef first = spec(same.front());
  for (const std::string& text : same) {
    SCOPED_TRACE(text);
    const ImageRef ref = spec(text);
    EXPECT_EQ(normalized_name(ref), "docker.io/library/nginx");
    EXPECT_TRUE(same_image(ref, first));
  }
}

TEST(Normalization, DifferentRegistriesOrNamespacesDiffer) {
  EXPECT_FALSE(same_image(spec("quay.io/x"), spec("x")));
  EXPECT_EQ(normalized_name(spec("quay.io/x")), "quay.io/x");
  EXPECT_FALSE(same_image(spec("bitnami/nginx"), spec("nginx")));
  EXPECT_FALSE(same_image(spec("docker.io:443/nginx"), spec("nginx")));
  EXPECT_EQ(normalized_name(spec("GHCR.io/acme/api")), "ghcr.io/acme/api");
  // The path-only quirk: the look-alike host stays in the path, on the default registry.
  EXPECT_EQ(normalized_name(spec("a.b-c_d/e")), "docker.io/a.b-c_d/e");
}

TEST(Normalization, EndpointDefaultsApply) {
  const EndpointDefaults custom{.default_registry = "my.reg", .defaultns = std::nullopt};
  EXPECT_EQ(normalized_name(spec("nginx"), custom), "my.reg/nginx");
  const EndpointDefaults team{.default_registry = "my.reg", .defaultns = "team"};
  EXPECT_EQ(normalized_name(spec("nginx"), team), "my.reg/team/nginx");
  EXPECT_EQ(api_repository(spec("quay.io/x"), {.defaultns = "org"}), "org/x");
  EXPECT_EQ(api_repository(spec("quay.io/x/y"), {.defaultns = "org"}), "x/y");
  // An explicit empty defaultns turns Docker Hub's `library/` off.
  EXPECT_EQ(api_repository(spec("nginx"), {.defaultns = ""}), "nginx");
  // An empty default registry means Docker Hub.
  EXPECT_EQ(normalized_name(spec("nginx"), {.default_registry = ""}), "docker.io/library/nginx");
}

TEST(Normalization, CanonicalRegistry) {
  EXPECT_EQ(canonical_registry("docker.io"), "docker.io");
  EXPECT_EQ(canonical_registry("Index.Docker.IO"), "docker.io");
  EXPECT_EQ(canonical_registry("registry-1.docker.io"), "docker.io");
  EXPECT_EQ(canonical_registry("Quay.io:443"), "quay.io:443");
  EXPECT_EQ(canonical_registry(""), "");
  EXPECT_TRUE(is_docker_hub("registry-1.docker.io"));
  EXPECT_FALSE(is_docker_hub(""));
  EXPECT_FALSE(is_docker_hub("docker.io:443"));
}

TEST(Serialization, Forms) {
  EXPECT_EQ(full_name(spec("docker.io/library/nginx:1.25")), "docker.io/nginx");
  EXPECT_EQ(full_name(spec("nginx:1.25")), "nginx");
  EXPECT_EQ(full_name_with_tag(spec("ghcr.io/acme/api:latest@" + kDigest)),
            "ghcr.io/acme/api:latest@" + kDigest);
  EXPECT_EQ(full_name_with_tag(spec("nginx@" + kDigest)), "nginx@" + kDigest);
  EXPECT_EQ(full_name_with_tag(spec("bitnami/redis:>=7 <8")), "bitnami/redis:>=7 <8");
  EXPECT_EQ(tag_with_digest(spec("nginx:1.25")), "1.25");
  EXPECT_EQ(tag_with_digest(spec("nginx:1.25@" + kDigest)), "1.25@" + kDigest);
  EXPECT_EQ(tag_with_digest(spec("nginx@" + kDigest)), "latest@" + kDigest);
  EXPECT_EQ(tag_with_digest(spec("nginx")), "");
  EXPECT_EQ(to_spec(spec("web=quay.io/org/web:^2")), "web=quay.io/org/web:^2");
}

TEST(Serialization, RoundTripsThroughTheParser) {
  const std::vector<std::string> inputs = {"nginx",
                                           "library/nginx:1.25",
                                           "docker.io/library/nginx:1.25",
                                           "index.docker.io/nginx",
                                           "registry-1.docker.io/library/nginx",
                                           "myreg:5000/app:1.0",
                                           "host:5000/img:~1",
                                           "bitnami/redis:>=7 <8",
                                           "ghcr.io/acme/api:latest@" + kDigest,
                                           "nginx@" + kDigest,
                                           "nginx:~1@" + kDigest,
                                           "web=quay.io/org/web:^2",
                                           "a.b-c_d/e:1",
                                           "[::1]:5000/app:2",
                                           "nginx:>=1.0"};
  for (const std::string& text : inputs) {
    SCOPED_TRACE(text);
    const ImageRef ref = spec(text);
    const ImageRef again = spec(to_spec(ref));
    EXPECT_EQ(again, ref);
    EXPECT_EQ(to_spec(again), to_spec(ref));
  }
}

}  // namespace
}  // namespace iu::model
