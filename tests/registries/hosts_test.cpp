#include "registries/hosts.hpp"

#include <gtest/gtest.h>

namespace iu::registries {
namespace {

TEST(Hosts, ParsesHostAndPort) {
  auto hp = parse_host_port("registry.local:5000");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "registry.local");
  EXPECT_EQ(hp->port, "5000");
  hp = parse_host_port("[::1]:5000");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "::1");
  EXPECT_EQ(hp->port, "5000");
  EXPECT_TRUE(parse_host_port("127.0.0.1"));
  std::string error;
  EXPECT_FALSE(parse_host_port("host:0", &error));
  EXPECT_EQ(error, "invalid host \"host:0\": port \"0\" is not a number from 1 to 65535");
  EXPECT_FALSE(parse_host_port("host:65536"));
  EXPECT_FALSE(parse_host_port("-host"));
  EXPECT_FALSE(parse_host_port("a..b"));
  EXPECT_FALSE(parse_host_port("[zz]:1"));
  EXPECT_FALSE(parse_host_port(""));
}

TEST(Hosts, ParsesApiUrls) {
  auto url = parse_api_url("HTTPS://Registry.Example.com:8443/proxy/");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->authority, "registry.example.com:8443");
  EXPECT_EQ(url->path, "/proxy");
  EXPECT_EQ(url->text(), "https://registry.example.com:8443/proxy");
  EXPECT_EQ(parse_api_url("http://[::1]:5000//")->text(), "http://[::1]:5000");

  std::string error;
  EXPECT_FALSE(parse_api_url("ftp://x", &error));
  EXPECT_EQ(error, "invalid URL \"ftp://x\": scheme must be http or https");
  EXPECT_FALSE(parse_api_url("ghcr.io", &error));
  EXPECT_EQ(error, "invalid URL \"ghcr.io\": expected http(s)://host[:port][/path]");
  EXPECT_FALSE(parse_api_url("https://", &error));
  EXPECT_EQ(error, "invalid URL \"https://\": missing host");
  EXPECT_FALSE(parse_api_url("https://x/?a=1", &error));
  EXPECT_FALSE(parse_api_url("https://x y", &error));
  EXPECT_FALSE(parse_api_url("https://bob:hunter2@x", &error));
  EXPECT_EQ(error.find("hunter2"), std::string::npos);
  EXPECT_NE(error.find("user information"), std::string::npos);
}

TEST(Hosts, CanonicalPrefix) {
  EXPECT_EQ(canonical_prefix("GHCR.io/acme/"), "ghcr.io/acme");
  EXPECT_EQ(canonical_prefix("index.docker.io"), "docker.io");
  EXPECT_EQ(canonical_prefix("registry-1.docker.io/library"), "docker.io/library");
  EXPECT_EQ(canonical_prefix("localhost:5000"), "localhost:5000");
  std::string error;
  EXPECT_FALSE(canonical_prefix("https://ghcr.io", &error));
  EXPECT_EQ(error,
            "invalid prefix \"https://ghcr.io\": expected host[:port][/path] without a scheme");
  EXPECT_FALSE(canonical_prefix("ghcr.io//acme", &error));
  EXPECT_FALSE(canonical_prefix("bad host", &error));
}

TEST(Hosts, Loopback) {
  for (const char* h : {"localhost", "LOCALHOST:5000", "127.0.0.1", "127.1.2.3:80", "[::1]",
                        "[::1]:5000", "[::ffff:127.0.0.1]:5000"})
    EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"128.0.0.1", "localhost.example.com", "ghcr.io", "[::2]", "10.0.0.1"})
    EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(Hosts, Ecr) {
  EXPECT_TRUE(is_ecr_host("123456789012.dkr.ecr.us-east-1.amazonaws.com"));
  EXPECT_TRUE(is_ecr_host("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com"));
  EXPECT_TRUE(is_ecr_host("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn:443"));
  EXPECT_FALSE(is_ecr_host("12345678901.dkr.ecr.us-east-1.amazonaws.com"));
  EXPECT_FALSE(is_ecr_host("123456789012.dkr.ecr.amazonaws.com"));
  EXPECT_FALSE(is_ecr_host("123456789012.ecr.us-east-1.amazonaws.com"));
  EXPECT_FALSE(is_ecr_host("ghcr.io"));
}

}  // namespace
}  // namespace iu::registries
