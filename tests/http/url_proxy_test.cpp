// URL parsing and redaction, proxy selection from the environment.
#include <gtest/gtest.h>

#include <map>

#include "http/proxy.hpp"
#include "http/url.hpp"

namespace iu::http {
namespace {

TEST(Url, ParsesSchemeHostPortAndAuthority) {
  std::string err;
  auto u = parse_http_url("https://Registry.Example:5000/v2/x?n=1", &err);
  ASSERT_TRUE(u) << err;
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->port, "5000");
  EXPECT_EQ(u->authority(), u->host + ":5000");
  auto v6 = parse_http_url("http://[::1]:8080/", &err);
  ASSERT_TRUE(v6) << err;
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->authority(), "[::1]:8080");
  auto noport = parse_http_url("https://ghcr.io/v2/", &err);
  ASSERT_TRUE(noport);
  EXPECT_EQ(noport->authority(), "ghcr.io");
}

TEST(Url, RejectsWhatIsNotAbsoluteHttp) {
  std::string err;
  EXPECT_FALSE(parse_http_url("ftp://host/x", &err));
  EXPECT_NE(err.find("unsupported scheme \"ftp\""), std::string::npos) << err;
  EXPECT_FALSE(parse_http_url("", &err));
  EXPECT_FALSE(err.empty());
  EXPECT_FALSE(parse_http_url("http://", &err));
}

TEST(Url, RedactionRemovesCredentialsAndSecretQueryValues) {
  std::string r = redact_url(
      "https://user:s3cret@reg.example/v2/a/tags/list?n=100&last=v1&token=abc"
      "&X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA#frag");
  EXPECT_EQ(r.find("s3cret"), std::string::npos) << r;
  EXPECT_EQ(r.find("user"), std::string::npos) << r;
  EXPECT_EQ(r.find("abc"), std::string::npos) << r;
  EXPECT_EQ(r.find("deadbeef"), std::string::npos) << r;
  EXPECT_EQ(r.find("AKIA"), std::string::npos) << r;
  EXPECT_NE(r.find("n=100&last=v1&token=REDACTED"), std::string::npos) << r;
  EXPECT_NE(r.find("reg.example/v2/a/tags/list"), std::string::npos) << r;
  EXPECT_EQ(redact_url("not a url at all"), "<invalid URL>");
}

TEST(Proxy, SchemeSelectsTheVariableUpperCaseFirst) {
  std::map<std::string, std::string> env = {{"HTTPS_PROXY", "http://upper:3128"},
                                            {"https_proxy", "http://lower:3128"},
                                            {"http_proxy", "http://plain:3128"},
                                            {"no_proxy", ".internal,10.0.0.0/8"}};
  auto s = ProxySettings::from_environment([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_EQ(s.https_proxy, "http://upper:3128");
  EXPECT_EQ(s.http_proxy, "http://plain:3128");
  EXPECT_EQ(s.no_proxy, ".internal,10.0.0.0/8");
  EXPECT_EQ(proxy_for(s, "https", "ghcr.io"), "http://upper:3128");
  EXPECT_EQ(proxy_for(s, "http", "registry.internal"), "http://plain:3128");
}

TEST(Proxy, LoopbackNeverGoesThroughAProxy) {
  ProxySettings s{"http://p:1", "http://p:1", ""};
  for (const char* host : {"localhost", "LOCALHOST", "127.0.0.1", "127.9.9.9", "::1"})
    EXPECT_EQ(proxy_for(s, "http", host), "") << host;
  EXPECT_EQ(proxy_for(s, "http", "10.1.2.3"), "http://p:1");
  EXPECT_EQ(proxy_for(s, "https", "localhost.example"), "http://p:1");
}

TEST(Proxy, EmptyEnvironmentMeansDirect) {
  auto s = ProxySettings::from_environment([](const char*) -> const char* { return ""; });
  EXPECT_EQ(proxy_for(s, "https", "ghcr.io"), "");
}

}  // namespace
}  // namespace iu::http
