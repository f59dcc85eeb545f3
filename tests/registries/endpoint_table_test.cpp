#include "registries/endpoint_table.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "registries/registries_conf.hpp"
#include "test_helpers.hpp"

namespace iu::registries {
namespace {

std::shared_ptr<EndpointTable> table_of(const std::string& yaml, TableOptions options = {}) {
  options.tls_dir.clear();
  return EndpointTable::with_builtins(parse_registries_conf(yaml).endpoints, options);
}

TEST(EndpointTable, BuiltinDockerHub) {
  auto t = table_of("");
  auto hub = t->lookup("", "nginx");
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub->origin, Origin::kBuiltin);
  EXPECT_EQ(hub->prefix, "docker.io");
  EXPECT_EQ(hub->api_url, "https://registry-1.docker.io");
  EXPECT_EQ(hub->defaultns, "library");
  EXPECT_DOUBLE_EQ(hub->limit, 10);
  EXPECT_TRUE(hub->is_default);
  EXPECT_EQ(t->default_endpoint(), hub);
  // Every Docker Hub alias, in any letter case, finds the same endpoint.
  for (const char* alias : {"docker.io", "index.docker.io", "registry-1.docker.io", "Docker.IO"})
    EXPECT_EQ(t->lookup(alias, "library/nginx"), hub) << alias;
}

TEST(EndpointTable, LongestPrefixAtComponentBoundary) {
  auto t = table_of(R"(registries:
- name: ghcr
  api_url: https://ghcr.io
  prefix: ghcr.io
- name: acme
  api_url: https://acme.ghcr.example.com
  prefix: ghcr.io/acme
- name: acme team
  api_url: https://team.ghcr.example.com
  prefix: ghcr.io/acme/team
)");
  EXPECT_EQ(t->lookup("ghcr.io", "acme/x")->name, "acme");
  EXPECT_EQ(t->lookup("ghcr.io", "acme")->name, "acme");
  EXPECT_EQ(t->lookup("ghcr.io", "acmecorp/x")->name, "ghcr");
  EXPECT_EQ(t->lookup("ghcr.io", "acme/team/api")->name, "acme team");
  EXPECT_EQ(t->lookup("ghcr.io", "acme/teams/api")->name, "acme");
  EXPECT_EQ(t->lookup("GHCR.IO", "other")->name, "ghcr");
  EXPECT_EQ(t->lookup("ghcr.io")->name, "ghcr");
  // A port is part of the host: no match for ghcr.io:443.
  EXPECT_EQ(t->lookup("ghcr.io:443", "acme/x")->origin, Origin::kInferred);
  // Without registry the default (Docker Hub) applies, whatever the repository.
  EXPECT_EQ(t->lookup("", "acme/x")->prefix, "docker.io");
}

TEST(EndpointTable, InferredEndpointsAreCreatedOnceAndKept) {
  auto t = table_of("");
  auto quay = t->lookup("quay.io", "org/app");
  ASSERT_TRUE(quay);
  EXPECT_EQ(quay->origin, Origin::kInferred);
  EXPECT_EQ(quay->api_url, "https://quay.io");
  EXPECT_EQ(quay->prefix, "quay.io");
  EXPECT_DOUBLE_EQ(quay->limit, 20);
  EXPECT_EQ(quay->plugin, "docker-v2");
  EXPECT_FALSE(quay->is_default);
  EXPECT_EQ(t->lookup("Quay.io", "other/app"), quay);

  EXPECT_EQ(t->lookup("localhost:5000", "app")->api_url, "http://localhost:5000");
  EXPECT_EQ(t->lookup("127.0.0.1:5000", "app")->api_url, "http://127.0.0.1:5000");
  EXPECT_EQ(t->lookup("127.10.0.3", "app")->api_url, "http://127.10.0.3");
  EXPECT_EQ(t->lookup("[::1]:5000", "app")->api_url, "http://[::1]:5000");
  EXPECT_EQ(t->lookup("10.0.0.1:5000", "app")->api_url, "https://10.0.0.1:5000");
  EXPECT_EQ(t->lookup("123456789012.dkr.ecr.us-east-1.amazonaws.com", "app")->plugin, "ecr");
  EXPECT_EQ(t->inferred().size(), 7u);
  EXPECT_THROW(t->lookup("bad host", "app"), std::invalid_argument);

  // Concurrent first lookups of one host still make a single endpoint.
  std::vector<std::shared_ptr<const Endpoint>> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] { seen[i] = t->lookup("gcr.io", "p/app"); });
  for (auto& th : threads) th.join();
  for (const auto& e : seen) EXPECT_EQ(e, seen[0]);
}

TEST(EndpointTable, ConfiguredDockerIoReplacesTheBuiltin) {
  auto t = table_of(R"(registries:
- name: Hub mirror
  api_url: https://mirror.example.com
  prefix: docker.io
  limit: 100
)");
  auto hub = t->lookup("", "nginx");
  EXPECT_EQ(hub->name, "Hub mirror");
  EXPECT_EQ(hub->origin, Origin::kConfigured);
  EXPECT_TRUE(hub->is_default);  // the Docker Hub entry keeps the default role
  EXPECT_EQ(hub->defaultns, "library");
  EXPECT_EQ(t->lookup("registry-1.docker.io", "library/nginx"), hub);
  EXPECT_EQ(t->endpoints().size(), 1u);
}

TEST(EndpointTable, AnotherDefaultTakesOver) {
  auto t = table_of(R"(registries:
- name: Internal
  api_url: https://registry.internal:5000
  prefix: registry.internal:5000
  default: true
  defaultns: platform
)");
  EXPECT_EQ(t->lookup("", "app")->name, "Internal");
  EXPECT_EQ(t->default_endpoint()->name, "Internal");
  auto hub = t->lookup("docker.io", "library/nginx");
  EXPECT_EQ(hub->origin, Origin::kBuiltin);
  EXPECT_FALSE(hub->is_default);
  EXPECT_EQ(t->endpoints().size(), 2u);

  // A default without prefix serves only references without registry.
  auto u =
      table_of("registries:\n- name: Default\n  api_url: https://d.example.com\n  default: true\n");
  EXPECT_EQ(u->lookup("", "x")->name, "Default");
  EXPECT_EQ(u->lookup("docker.io", "library/x")->origin, Origin::kBuiltin);
  EXPECT_EQ(u->lookup("d.example.com", "x")->origin, Origin::kInferred);
}

TEST(EndpointTable, TlsDirectoryFallback) {
  test::TempDir dir;
  dir.write("ghcr.io", test::kTestCa);
  dir.write("quay.io", test::kTestCa);
  TableOptions options;
  options.tls_dir = dir.path();
  auto conf = parse_registries_conf(R"(registries:
- name: ghcr
  api_url: https://ghcr.io
  prefix: ghcr.io
- name: explicit
  api_url: https://ghcr.io
  prefix: ghcr.io/acme
  ca_data: |
)" + [] {
    std::string s;
    for (char c : std::string(test::kTestCa))
      s += c == '\n' ? std::string("\n    ") : std::string(1, c);
    return "    " + s;
  }() + R"(
- name: insecure
  api_url: https://ghcr.io
  prefix: ghcr.io/insecure
  insecure: true
- name: plain
  api_url: http://ghcr.io
  prefix: ghcr.io/plain
)");
  auto t = EndpointTable::with_builtins(conf.endpoints, options);
  EXPECT_EQ(t->lookup("ghcr.io", "x")->ca_file, (dir.path() / "ghcr.io").string());
  EXPECT_EQ(t->lookup("ghcr.io", "acme/x")->ca_file, "");
  EXPECT_EQ(t->lookup("ghcr.io", "insecure/x")->ca_file, "");
  EXPECT_EQ(t->lookup("ghcr.io", "plain/x")->ca_file, "");
  EXPECT_EQ(t->lookup("quay.io", "x")->ca_file, (dir.path() / "quay.io").string());
  EXPECT_EQ(t->lookup("", "nginx")->ca_file, "");  // no file for registry-1.docker.io
}

TEST(EndpointTable, InferredEndpointsSurviveARebuildUnlessNowCovered) {
  auto first = table_of("");
  auto quay = first->lookup("quay.io", "a");
  auto gcr = first->lookup("gcr.io", "a");
  auto second = EndpointTable::with_builtins(
      parse_registries_conf(
          "registries:\n- name: gcr\n  api_url: https://gcr.io\n  prefix: gcr.io\n")
          .endpoints,
      TableOptions{""}, first.get());
  EXPECT_EQ(second->lookup("quay.io", "b"), quay);
  EXPECT_EQ(second->lookup("gcr.io", "a")->origin, Origin::kConfigured);
  EXPECT_EQ(second->inferred().size(), 1u);
}

}  // namespace
}  // namespace iu::registries
