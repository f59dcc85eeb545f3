#include <gtest/gtest.h>

#include "registries/registries_conf.hpp"
#include "test_helpers.hpp"

namespace iu::registries {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::string& yaml) {
  try {
    parse_registries_conf(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << yaml;
  return {};
}

// One entry with the two required keys plus `extra` lines.
std::string entry(const std::string& extra = "") {
  return "registries:\n- name: r\n  api_url: https://r.example.com\n  prefix: r.example.com\n" +
         extra;
}

TEST(RegistriesConf, EveryKey) {
  test::TempDir dir;
  const std::string ca = dir.write("ca.pem", test::kTestCa);
  std::string indented_ca;
  for (char c : std::string(test::kTestCa))
    indented_ca += c == '\n' ? std::string("\n      ") : std::string(1, c);
  const std::string yaml = R"(registries:
  - name: GitHub Container Registry
    api_url: https://GHCR.io/
    prefix: ghcr.io/acme
    default: true
    defaultns: acme
    credentials: secret:argocd/ghcr-token#creds
    credsexpire: 12h
    insecure: false
    ca_file: )" + ca + R"(
    ca_data: |
      )" + indented_ca + R"(
    limit: 2.5
    tagsortmode: latest-first
    ping: yes
    max_inflight: 4
    plugin: my-registry
)";
  RegistriesConf conf = parse_registries_conf(yaml);
  ASSERT_EQ(conf.endpoints.size(), 1u);
  const Endpoint& e = conf.endpoints[0];
  EXPECT_EQ(e.name, "GitHub Container Registry");
  EXPECT_EQ(e.api_url, "https://ghcr.io");
  EXPECT_EQ(e.prefix, "ghcr.io/acme");
  EXPECT_TRUE(e.is_default);
  EXPECT_EQ(e.defaultns, "acme");
  EXPECT_EQ(e.credentials, "secret:argocd/ghcr-token#creds");
  EXPECT_EQ(e.credsexpire, 12h);
  EXPECT_FALSE(e.insecure);
  EXPECT_EQ(e.ca_file, ca);
  EXPECT_NE(e.ca_data.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_DOUBLE_EQ(e.limit, 2.5);
  EXPECT_EQ(e.tagsortmode, "latest-first");
  EXPECT_EQ(e.max_inflight, 4);
  EXPECT_EQ(e.plugin, "my-registry");
  EXPECT_EQ(e.origin, Origin::kConfigured);
  EXPECT_EQ(e.index, 0);
  EXPECT_EQ(e.api_host(), "ghcr.io");
  EXPECT_EQ(e.api_hostname(), "ghcr.io");
  ASSERT_EQ(conf.warnings.size(), 1u);
  EXPECT_EQ(conf.warnings[0],
            "registries.conf: key \"ping\" is accepted for compatibility and has no effect");
}

TEST(RegistriesConf, Defaults) {
  RegistriesConf conf = parse_registries_conf(entry());
  ASSERT_EQ(conf.endpoints.size(), 1u);
  const Endpoint& e = conf.endpoints[0];
  EXPECT_DOUBLE_EQ(e.limit, 20);
  EXPECT_EQ(e.max_inflight, 30);
  EXPECT_EQ(e.plugin, "docker-v2");
  EXPECT_EQ(e.tagsortmode, "none");
  EXPECT_EQ(e.defaultns, "");
  EXPECT_EQ(e.credentials, "");
  EXPECT_EQ(e.credsexpire, 0ns);
  EXPECT_FALSE(e.is_default);
  EXPECT_FALSE(e.insecure);
  EXPECT_TRUE(conf.warnings.empty());
}

TEST(RegistriesConf, DerivedDefaults) {
  // Docker Hub entries prepend library/; ECR API hosts use the ecr plugin; null means unset.
  auto conf = parse_registries_conf(R"(registries:
- name: hub
  api_url: https://registry-1.docker.io
  prefix: index.docker.io
  limit: ~
- name: ecr
  api_url: https://123456789012.dkr.ecr.eu-west-1.amazonaws.com
  prefix: 123456789012.dkr.ecr.eu-west-1.amazonaws.com
- name: ecr via docker-v2
  api_url: https://123456789012.dkr.ecr.eu-west-2.amazonaws.com
  prefix: 123456789012.dkr.ecr.eu-west-2.amazonaws.com
  plugin: docker-v2
- name: hub without namespace
  api_url: https://mirror.example.com
  prefix: docker.io/acme
  defaultns: ""
- name: ecr behind a pull-through cache
  api_url: http://127.0.0.1:5000
  prefix: 123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/team
)");
  ASSERT_EQ(conf.endpoints.size(), 5u);
  EXPECT_EQ(conf.endpoints[0].prefix, "docker.io");
  EXPECT_EQ(conf.endpoints[0].defaultns, "library");
  EXPECT_DOUBLE_EQ(conf.endpoints[0].limit, 20);
  EXPECT_EQ(conf.endpoints[1].plugin, "ecr");
  EXPECT_EQ(conf.endpoints[2].plugin, "docker-v2");
  EXPECT_EQ(conf.endpoints[3].defaultns, "");
  EXPECT_EQ(conf.endpoints[4].plugin, "ecr");
}

TEST(RegistriesConf, PingWarnsOnceAndIsLoggedOncePerProcess) {
  auto conf =
      parse_registries_conf(entry("  ping: true\n") +
                            "- name: s\n  api_url: https://s.io\n  prefix: s.io\n  ping: false\n");
  ASSERT_EQ(conf.warnings.size(), 1u);
  ::testing::internal::CaptureStderr();
  log_conf_warnings(conf.warnings);
  log_conf_warnings(parse_registries_conf(entry("  ping: true\n")).warnings);
  const std::string logged = ::testing::internal::GetCapturedStderr();
  const std::string needle = "key \\\"ping\\\" is accepted for compatibility";
  ASSERT_NE(logged.find(needle), std::string::npos) << logged;
  EXPECT_EQ(logged.find(needle, logged.find(needle) + 1), std::string::npos) << logged;
  EXPECT_NE(logged.find("level=warning"), std::string::npos) << logged;
}

TEST(RegistriesConf, EmptyDocumentsHaveNoEntries) {
  EXPECT_TRUE(parse_registries_conf("").endpoints.empty());
  EXPECT_TRUE(parse_registries_conf("# nothing\n").endpoints.empty());
  EXPECT_TRUE(parse_registries_conf("registries:\n").endpoints.empty());
  EXPECT_TRUE(parse_registries_conf("registries: []\n").endpoints.empty());
}

TEST(RegistriesConf, InsecureSkipsCaChecks) {
  auto conf = parse_registries_conf(entry("  insecure: true\n  ca_data: not a certificate\n"));
  EXPECT_TRUE(conf.endpoints[0].insecure);
}

TEST(RegistriesConf, DocumentErrors) {
  EXPECT_EQ(error_of("registry:\n- name: x\n"),
            "registries.conf: unknown key \"registry\" (line 1)");
  EXPECT_EQ(error_of("- a\n"),
            "registries.conf: expected a mapping with key \"registries\" (line 1)");
  EXPECT_EQ(error_of("registries: {}\n"), "registries.conf: registries: expected a list (line 1)");
  EXPECT_EQ(error_of("registries:\n- name: [\n"),
            "registries.conf: invalid YAML at line 3, column 1: end of sequence flow not found");
  EXPECT_EQ(error_of("registries:\n- just a string\n"),
            "registries.conf: registries[0]: expected a mapping, found a scalar (line 2)");
}

TEST(RegistriesConf, UnknownAndDuplicateKeysNameIndexAndKey) {
  const std::string two = entry() + "- name: s\n  api_url: https://s.io\n  prefix: s.io\n";
  EXPECT_EQ(error_of(two + "- name: t\n  api_url: https://t.io\n  prefix: t.io\n  limits: 5\n"),
            "registries.conf: registries[2]: unknown key \"limits\" (line 11)");
  EXPECT_EQ(error_of(entry("  limit: 5\n  limit: 6\n")),
            "registries.conf: registries[0]: duplicate key \"limit\" (line 6)");
}

TEST(RegistriesConf, RequiredKeys) {
  EXPECT_EQ(error_of("registries:\n- api_url: https://x.io\n  prefix: x.io\n"),
            "registries.conf: registries[0]: missing required key \"name\" (line 2)");
  EXPECT_EQ(error_of("registries:\n- name: x\n  prefix: x.io\n"),
            "registries.conf: registries[0]: missing required key \"api_url\" (line 2)");
  EXPECT_EQ(
      error_of("registries:\n- name: x\n  api_url: https://x.io\n"),
      "registries.conf: registries[0]: an entry without \"prefix\" must have \"default: true\" "
      "(line 2)");
  EXPECT_EQ(error_of("registries:\n- name: \"\"\n  api_url: https://x.io\n  prefix: x.io\n"),
            "registries.conf: registries[0].name: must not be empty (line 2)");
  EXPECT_EQ(error_of("registries:\n- name: x\n  api_url:\n  prefix: x.io\n"),
            "registries.conf: registries[0].api_url: must not be empty (line 3)");
  // Without prefix but default: allowed.
  auto conf =
      parse_registries_conf("registries:\n- name: x\n  api_url: https://x.io\n  default: true\n");
  EXPECT_EQ(conf.endpoints[0].prefix, "");
}

TEST(RegistriesConf, ValueErrors) {
  const std::pair<std::string, std::string> cases[] = {
      {"  limit: -1\n", "registries[0].limit: negative value -1 (0 means unlimited) (line 5)"},
      {"  limit: fast\n", "registries[0].limit: invalid number \"fast\" (line 5)"},
      {"  limit: .inf\n", "registries[0].limit: invalid number \".inf\" (line 5)"},
      {"  max_inflight: 0\n", "registries[0].max_inflight: must be at least 1, got 0 (line 5)"},
      {"  max_inflight: 2.5\n", "registries[0].max_inflight: invalid integer \"2.5\" (line 5)"},
      {"  tagsortmode: newest\n",
       "registries[0].tagsortmode: invalid value \"newest\" (expected none, latest-first, "
       "latest-last or pushed) (line 5)"},
      {"  credsexpire: 30\n",
       "registries[0].credsexpire: invalid duration \"30\": missing unit (line 5)"},
      {"  credsexpire: -1h\n", "registries[0].credsexpire: negative duration \"-1h\" (line 5)"},
      {"  default: maybe\n", "registries[0].default: invalid boolean \"maybe\" (line 5)"},
      {"  insecure: [true]\n", "registries[0].insecure: expected a string, found a list (line 5)"},
      {"  ping: sometimes\n", "registries[0].ping: invalid boolean \"sometimes\" (line 5)"},
      {"  plugin: My Plugin\n",
       "registries[0].plugin: invalid plugin name \"My Plugin\" (expected [a-z0-9._-]+) (line 5)"},
      {"  defaultns: /acme\n", "registries[0].defaultns: invalid namespace \"/acme\" (line 5)"},
      {"  credentials: vault:x\n",
       "registries[0].credentials: invalid credential reference \"vault:x\": unknown source "
       "\"vault\" (expected pullsecret:, secret:, env: or ext:) (line 5)"},
      {"  ca_data: garbage\n", "registries[0].ca_data: no PEM certificate found (line 5)"},
      {"  ca_file: /nonexistent/ca.pem\n",
       "registries[0].ca_file: cannot read \"/nonexistent/ca.pem\": No such file or directory "
       "(line 5)"},
  };
  for (const auto& [extra, message] : cases)
    EXPECT_EQ(error_of(entry(extra)), "registries.conf: " + message) << extra;
}

TEST(RegistriesConf, ApiUrlAndPrefixErrors) {
  EXPECT_EQ(error_of("registries:\n- name: x\n  api_url: ghcr.io\n  prefix: ghcr.io\n"),
            "registries.conf: registries[0].api_url: invalid URL \"ghcr.io\": expected "
            "http(s)://host[:port][/path] (line 3)");
  EXPECT_EQ(error_of("registries:\n- name: x\n  api_url: ftp://ghcr.io\n  prefix: ghcr.io\n"),
            "registries.conf: registries[0].api_url: invalid URL \"ftp://ghcr.io\": scheme must be "
            "http or https (line 3)");
  const std::string secret_url =
      error_of("registries:\n- name: x\n  api_url: https://u:hunter2@ghcr.io\n  prefix: ghcr.io\n");
  EXPECT_EQ(secret_url.find("hunter2"), std::string::npos);
  EXPECT_EQ(
      error_of("registries:\n- name: x\n  api_url: https://ghcr.io\n  prefix: https://ghcr.io\n"),
      "registries.conf: registries[0].prefix: invalid prefix \"https://ghcr.io\": expected "
      "host[:port][/path] without a scheme (line 4)");
}

TEST(RegistriesConf, CrossEntryErrors) {
  EXPECT_EQ(error_of(entry() + "- name: s\n  api_url: https://s.io\n  prefix: R.example.com/\n"),
            "registries.conf: registries[1].prefix: duplicate prefix \"r.example.com\" (also used "
            "by registries[0]) (line 7)");
  EXPECT_EQ(error_of("registries:\n- name: a\n  api_url: https://a.io\n  prefix: docker.io\n"
                     "- name: b\n  api_url: https://b.io\n  prefix: registry-1.docker.io\n"),
            "registries.conf: registries[1].prefix: duplicate prefix \"docker.io\" (also used by "
            "registries[0]) (line 7)");
  EXPECT_EQ(error_of(entry("  default: true\n") +
                     "- name: s\n  api_url: https://s.io\n  default: true\n"),
            "registries.conf: registries[1].default: only one entry may be the default "
            "(registries[0] already is) (line 8)");
}

TEST(RegistriesConf, SourceNameAndFileReading) {
  try {
    parse_registries_conf("registries: 5\n", "/etc/iu/registries.conf");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/etc/iu/registries.conf: registries: expected a list (line 1)");
  }
  test::TempDir dir;
  EXPECT_EQ(read_registries_conf(dir.path() / "missing.conf"), std::nullopt);
  EXPECT_EQ(read_registries_conf(dir.write("r.conf", "registries: []\n")), "registries: []\n");
  EXPECT_THROW(read_registries_conf(dir.path()), ConfigError);
}

}  // namespace
}  // namespace iu::registries
