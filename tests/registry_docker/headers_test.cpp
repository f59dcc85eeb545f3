// Unit tests of the protocol's header and identifier parsers: WWW-Authenticate challenges, Link
// headers, URLs and digests.
#include <gtest/gtest.h>

#include <string>

#include "iu/dockerv2/challenge.hpp"
#include "iu/dockerv2/digest.hpp"
#include "iu/dockerv2/link.hpp"
#include "iu/dockerv2/url.hpp"

namespace dv2 = iu::dockerv2;

namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');

// ---- challenges -------------------------------------------------------------------------

TEST(Challenge, BearerWithQuotedParams) {
  auto all = dv2::parse_challenges(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull")");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].scheme, "bearer");
  EXPECT_EQ(all[0].param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ(all[0].param("service"), "registry.docker.io");
  EXPECT_EQ(all[0].param("scope"), "repository:library/nginx:pull");
}

TEST(Challenge, SchemeAndParamNamesAreCaseInsensitiveAndEscapesUnquoted) {
  auto all = dv2::parse_challenges(R"(BEARER Realm = "https://a/t\"x" , Service=plain)");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].scheme, "bearer");
  EXPECT_EQ(all[0].param("REALM"), "https://a/t\"x");
  EXPECT_EQ(all[0].param("service"), "plain");
}

TEST(Challenge, SeveralChallengesInOneHeader) {
  auto all = dv2::parse_challenges(
      R"(Basic realm="Registry Realm", Bearer realm="https://auth/token",service="svc", Negotiate)");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].scheme, "basic");
  EXPECT_EQ(all[0].param("realm"), "Registry Realm");
  EXPECT_EQ(all[1].scheme, "bearer");
  EXPECT_EQ(all[1].param("service"), "svc");
  EXPECT_EQ(all[2].scheme, "negotiate");
  auto pick = dv2::select_challenge(all);
  EXPECT_EQ(pick.scheme, dv2::AuthChallenge::Scheme::bearer);
  EXPECT_EQ(pick.realm, "https://auth/token");
  EXPECT_EQ(pick.service, "svc");
}

TEST(Challenge, Token68Form) {
  auto all = dv2::parse_challenges("Negotiate abc/DEF+12==, Basic realm=x");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].token68, "abc/DEF+12==");
  EXPECT_EQ(all[1].scheme, "basic");
  EXPECT_EQ(dv2::select_challenge(all).scheme, dv2::AuthChallenge::Scheme::basic);
}

TEST(Challenge, MalformedTailKeepsWhatWasRead) {
  auto all = dv2::parse_challenges(R"(Bearer realm="https://a/token", Basic realm="unterminated)");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(dv2::select_challenge(all).realm, "https://a/token");
  EXPECT_TRUE(dv2::parse_challenges("").empty());
  EXPECT_TRUE(dv2::parse_challenges(" , ,").empty());
  EXPECT_TRUE(dv2::parse_challenges("=oops").empty());
}

TEST(Challenge, BearerWithoutRealmIsNotUsable) {
  EXPECT_EQ(dv2::select_challenge(dv2::parse_challenges(R"(Bearer service="x")")).scheme,
            dv2::AuthChallenge::Scheme::none);
  EXPECT_EQ(dv2::select_challenge(dv2::parse_challenges("Digest realm=x")).scheme,
            dv2::AuthChallenge::Scheme::none);
}

// ---- Link headers -----------------------------------------------------------------------

TEST(Link, NextOfDistributionStyleHeader) {
  EXPECT_EQ(dv2::next_link(R"(</v2/acme/api/tags/list?last=1.9&n=100>; rel="next")"),
            "/v2/acme/api/tags/list?last=1.9&n=100");
}

TEST(Link, SeveralLinksAndRelLists) {
  EXPECT_EQ(
      dv2::next_link(R"(<https://r/a>; rel="prev", <https://r/b>; title="x,y"; rel="last NEXT")"),
      "https://r/b");
  EXPECT_EQ(dv2::next_link(R"(<https://r/a>; rel=next)"), "https://r/a");
  EXPECT_EQ(dv2::next_link(R"(<https://r/a,b>;rel="next")"), "https://r/a,b");
}

TEST(Link, NoNextLink) {
  EXPECT_EQ(dv2::next_link(R"(</v2/x/tags/list?last=a>; rel="prev")"), std::nullopt);
  EXPECT_EQ(dv2::next_link(""), std::nullopt);
  EXPECT_EQ(dv2::next_link(R"(<https://r/a>; rel="nextpage")"), std::nullopt);
}

TEST(Link, MalformedHeadersAreErrors) {
  EXPECT_THROW(dv2::next_link(R"(/v2/x; rel="next")"), dv2::LinkHeaderError);
  EXPECT_THROW(dv2::next_link(R"(</v2/x; rel="next")"), dv2::LinkHeaderError);
  EXPECT_THROW(dv2::next_link(R"(</v2/x>; ="next")"), dv2::LinkHeaderError);
  EXPECT_THROW(dv2::next_link(R"(</v2/x>; rel="next)"), dv2::LinkHeaderError);
  EXPECT_THROW(dv2::next_link(R"(</v2/x>; rel="next" junk)"), dv2::LinkHeaderError);
  EXPECT_THROW(dv2::next_link(R"(<>; rel="next")"), dv2::LinkHeaderError);
}

// ---- URLs -------------------------------------------------------------------------------

TEST(Url, ParseAndOrigin) {
  auto u = dv2::parse_url("HTTPS://Registry.Example.com:443/prefix/v2/?n=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->authority, "Registry.Example.com:443");
  EXPECT_EQ(u->path, "/prefix/v2/");
  EXPECT_EQ(u->query, "n=1");
  EXPECT_EQ(u->host(), "registry.example.com");
  EXPECT_EQ(u->origin(), "https://registry.example.com");
  EXPECT_EQ(dv2::parse_url("http://127.0.0.1:5000")->origin(), "http://127.0.0.1:5000");
  EXPECT_EQ(dv2::parse_url("http://[::1]:5000/x")->host(), "::1");
}

TEST(Url, RefusesOtherSchemesUserInfoAndFragments) {
  EXPECT_FALSE(dv2::parse_url("ftp://host/x"));
  EXPECT_FALSE(dv2::parse_url("https://user:secret@host/x"));
  EXPECT_FALSE(dv2::parse_url("https://host/x#frag"));
  EXPECT_FALSE(dv2::parse_url("https:///x"));
  EXPECT_FALSE(dv2::parse_url("host:5000/x"));
  EXPECT_FALSE(dv2::parse_url("https://host/a b"));
}

TEST(Url, ResolvesTheReferenceFormsServersSend) {
  auto base = *dv2::parse_url("https://r.io:8443/v2/acme/api/tags/list?n=100");
  EXPECT_EQ(dv2::resolve_reference(base, "/v2/acme/api/tags/list?last=b&n=100")->str(),
            "https://r.io:8443/v2/acme/api/tags/list?last=b&n=100");
  EXPECT_EQ(dv2::resolve_reference(base, "?last=c")->str(),
            "https://r.io:8443/v2/acme/api/tags/list?last=c");
  EXPECT_EQ(dv2::resolve_reference(base, "list2?x=1")->str(),
            "https://r.io:8443/v2/acme/api/tags/list2?x=1");
  EXPECT_EQ(dv2::resolve_reference(base, "../../other/tags/list")->str(),
            "https://r.io:8443/v2/acme/other/tags/list");
  EXPECT_EQ(dv2::resolve_reference(base, "//cdn.io/page")->str(), "https://cdn.io/page");
  EXPECT_EQ(dv2::resolve_reference(base, "http://else.io/p?q")->str(), "http://else.io/p?q");
  EXPECT_FALSE(dv2::resolve_reference(base, "mailto:x@y"));
}

TEST(Url, QueryEscape) {
  EXPECT_EQ(dv2::query_escape("repository:acme/api:pull,push"),
            "repository%3Aacme%2Fapi%3Apull%2Cpush");
  EXPECT_EQ(dv2::query_escape("a-b_c.d~e f&g=h"), "a-b_c.d~e%20f%26g%3Dh");
}

// ---- digests ----------------------------------------------------------------------------

TEST(Digest, ParseSupportedAlgorithmsOnly) {
  EXPECT_EQ(dv2::parse_digest(kDigestA)->algorithm, "sha256");
  EXPECT_TRUE(dv2::parse_digest("sha512:" + std::string(128, '0')));
  EXPECT_FALSE(dv2::parse_digest("sha256:" + std::string(63, 'a')));
  EXPECT_FALSE(dv2::parse_digest("sha256:" + std::string(64, 'A')));
  EXPECT_FALSE(dv2::parse_digest("md5:" + std::string(32, 'a')));
  EXPECT_FALSE(dv2::parse_digest("latest"));
  EXPECT_FALSE(dv2::parse_digest(""));
}

TEST(Digest, ComputeKnownValues) {
  EXPECT_EQ(dv2::compute_digest("sha256", "").str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(dv2::compute_digest("sha256", "abc").str(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(dv2::compute_digest("sha512", "abc").encoded.substr(0, 16), "ddaf35a193617aba");
  EXPECT_THROW(dv2::compute_digest("md5", "abc"), std::invalid_argument);
}

TEST(Digest, VerificationDetectsAnyChange) {
  auto d = dv2::compute_digest("sha256", R"({"a":1})");
  EXPECT_TRUE(dv2::matches_digest(d, R"({"a":1})"));
  EXPECT_FALSE(dv2::matches_digest(d, R"({"a":1} )"));
  EXPECT_FALSE(dv2::matches_digest(*dv2::parse_digest(kDigestA), R"({"a":1})"));
}

}  // namespace
