// Tag listing through the client: pagination over Link headers, its limits (1000 pages,
// 100,000 tags), hostile links, malformed pages and the status mapping of failed requests.
#include "client_fixture.hpp"

namespace iu::test {
namespace {

using Auth = FakeRegistry::Auth;

std::vector<std::string> numbered(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back("t" + std::to_string(i));
  return out;
}

TEST_F(ClientTest, FollowsLinkPagesInOrder) {
  FakeRegistry& reg = serve(Auth::bearer);
  reg.page_size = 3;
  reg.add_tags("acme/api", numbered(10));
  dockerv2::ClientOptions o = options();
  o.tags_page_size = 0;  // let the registry choose: pages of 3
  dockerv2::Client client(o);
  EXPECT_EQ(list(client, request("acme/api", true)), numbered(10));
  EXPECT_EQ(host_.count("tags"), 4u);
  EXPECT_EQ(reg.tokens_issued(), 1);
  auto reqs = host_.requests();
  EXPECT_EQ(reqs.back().url, "http://reg.test/v2/acme/api/tags/list?n=3&last=t8");
  EXPECT_EQ(reqs.back().header("Authorization").rfind("Bearer ", 0), 0u);
}

TEST_F(ClientTest, PageSizeIsAskedFor) {
  FakeRegistry& reg = serve(Auth::none);
  reg.page_size = 100;
  reg.add_tags("acme/api", numbered(10));
  dockerv2::ClientOptions o = options();
  o.tags_page_size = 4;
  dockerv2::Client client(o);
  EXPECT_EQ(list(client, request("acme/api")), numbered(10));
  EXPECT_EQ(host_.count("tags"), 3u);
}

TEST_F(ClientTest, MoreThanAThousandPagesIsAnError) {
  FakeRegistry& reg = serve(Auth::none);
  reg.page_size = 1;
  reg.add_tags("acme/api", numbered(1001));
  dockerv2::ClientOptions o = options();
  o.tags_page_size = 0;
  dockerv2::Client client(o);
  auto [st, msg] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st, IU_STATUS_UNSUPPORTED);
  EXPECT_EQ(msg,
            "registry reg.test: repository acme/api: more than 1000 pages of tags (the most a "
            "listing may follow)");
  EXPECT_EQ(host_.count("tags"), 1000u);
  host_.clear_requests();
  reg.add_tags("acme/ok", numbered(1000));
  EXPECT_EQ(list(client, request("acme/ok")).size(), 1000u);  // exactly 1000 pages is fine
}

TEST_F(ClientTest, MoreThanAHundredThousandTagsIsAnError) {
  FakeRegistry& reg = serve(Auth::none);
  reg.add_tags("acme/many", numbered(100001));
  reg.add_tags("acme/max", numbered(100000));
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { list(client, request("acme/many")); });
  EXPECT_EQ(st, IU_STATUS_UNSUPPORTED);
  EXPECT_EQ(msg,
            "registry reg.test: repository acme/many: more than 100000 tags (the most a listing "
            "may return)");
  EXPECT_EQ(list(client, request("acme/max")).size(), 100000u);
}

TEST_F(ClientTest, LinksToAnotherOriginOrBackAreRefused) {
  FakeRegistry& reg = serve(Auth::basic);
  reg.add_tags("acme/api", {"a"});
  std::string link;
  reg.intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "tags") return std::nullopt;
    return Reply{200, {{"Link", link}}, R"({"tags":["a"]})"};
  };
  dockerv2::Client client(options());
  link = R"(<https://evil.test/v2/acme/api/tags/list?last=a>; rel="next")";
  auto [st, msg] = error_of([&] { list(client, request("acme/api", true)); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_NE(msg.find("another origin (https://evil.test)"), std::string::npos) << msg;
  for (const auto& r : host_.requests()) EXPECT_EQ(r.url.find("evil.test"), std::string::npos);

  link = R"(</v2/acme/api/tags/list?n=1000>; rel="next")";
  auto [st2, msg2] = error_of([&] { list(client, request("acme/api", true)); });
  EXPECT_EQ(st2, IU_STATUS_INTERNAL);
  EXPECT_NE(msg2.find("pagination loop"), std::string::npos) << msg2;

  link = R"(</v2/acme/api/tags/list?n=1000; rel="next")";
  auto [st3, msg3] = error_of([&] { list(client, request("acme/api", true)); });
  EXPECT_EQ(st3, IU_STATUS_INTERNAL);
  EXPECT_NE(msg3.find("malformed Link header"), std::string::npos) << msg3;
}

TEST_F(ClientTest, MalformedPageNamesRegistryRequestAndOffset) {
  FakeRegistry& reg = serve(Auth::none);
  reg.intercept = [](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "tags") return std::nullopt;
    return Reply{200, {}, R"({"name":"acme","tags":["a" "b"]})"};
  };
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st, IU_STATUS_INTERNAL);
  EXPECT_EQ(msg,
            "registry reg.test: GET /v2/acme/api/tags/list: HTTP 200 with invalid JSON at offset "
            "27: missing a comma or ']' after an array element");
}

TEST_F(ClientTest, HttpStatusesMapToStatusClasses) {
  FakeRegistry& reg = serve(Auth::none);
  int status = 0;
  reg.intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "tags") return std::nullopt;
    return Reply{status, {}, R"({"errors":[{"code":"X","message":"y"}]})"};
  };
  dockerv2::Client client(options());
  const std::vector<std::pair<int, iu_status>> cases = {
      {404, IU_STATUS_NOT_FOUND}, {429, IU_STATUS_RATE_LIMITED}, {500, IU_STATUS_TRANSIENT},
      {503, IU_STATUS_TRANSIENT}, {408, IU_STATUS_TRANSIENT},    {400, IU_STATUS_INVALID_ARGUMENT},
      {204, IU_STATUS_INTERNAL},  {302, IU_STATUS_INTERNAL}};
  for (auto [code, want] : cases) {
    status = code;
    auto [st, msg] = error_of([&] { list(client, request("acme/api")); });
    EXPECT_EQ(st, want) << code;
    EXPECT_EQ(msg, "registry reg.test: GET /v2/acme/api/tags/list: HTTP " + std::to_string(code) +
                       ": X: y");
  }
}

TEST_F(ClientTest, TransportFailuresKeepTheHostStatus) {
  FakeRegistry& reg = serve(Auth::none);
  iu_status fail_with = IU_STATUS_TRANSIENT;
  reg.intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "tags") return std::nullopt;
    Reply reply;
    reply.transport = fail_with;
    return reply;
  };
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st, IU_STATUS_TRANSIENT);
  EXPECT_EQ(msg.rfind("registry reg.test: GET /v2/acme/api/tags/list: request failed", 0), 0u)
      << msg;
  fail_with = IU_STATUS_INVALID_ARGUMENT;  // e.g. a page over the size limit
  auto [st2, msg2] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st2, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(msg2.find("16 MiB limit"), std::string::npos) << msg2;
}

TEST_F(ClientTest, MissingRepositoryIsNotFound) {
  serve(Auth::none);
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { list(client, request("acme/nope")); });
  EXPECT_EQ(st, IU_STATUS_NOT_FOUND);
  EXPECT_EQ(msg,
            "registry reg.test: GET /v2/acme/nope/tags/list: HTTP 404: NAME_UNKNOWN: repository "
            "name not known to registry");
}

TEST_F(ClientTest, InvalidRepositoryNamesNeverReachTheRegistry) {
  serve(Auth::none);
  dockerv2::Client client(options());
  for (std::string bad : {"Acme/api", "acme//api", "../etc", "acme/api?x=1", "", "a/-b", "a..b"}) {
    auto [st, msg] = error_of([&] { list(client, request(bad)); });
    EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT) << bad;
    EXPECT_EQ(
        msg.rfind("registry reg.test: repository \"" + bad + "\": invalid repository name", 0), 0u)
        << msg;
  }
  EXPECT_TRUE(host_.requests().empty());
  serve(Auth::none).add_tags("a-b/c__d.e/f--g_h", {"x"});
  dockerv2::Client ok(options());
  EXPECT_EQ(list(ok, request("a-b/c__d.e/f--g_h")), std::vector<std::string>{"x"});
}

TEST_F(ClientTest, PingFailuresAreErrors) {
  FakeRegistry& reg = serve(Auth::none);
  int status = 404;
  reg.intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op != "ping") return std::nullopt;
    return Reply{status, {}, ""};
  };
  dockerv2::Client client(options());
  auto [st, msg] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st, IU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(msg,
            "registry reg.test: GET /v2/: HTTP 404 (is api_url the URL of a Docker Registry v2 "
            "API?)");
  status = 401;  // without a challenge
  auto [st2, msg2] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st2, IU_STATUS_UNSUPPORTED);
  status = 502;
  EXPECT_EQ(error_of([&] { list(client, request("acme/api")); }).first, IU_STATUS_TRANSIENT);
}

TEST_F(ClientTest, CancelledBetweenPages) {
  FakeRegistry& reg = serve(Auth::none);
  reg.page_size = 1;
  reg.add_tags("acme/api", numbered(5));
  reg.intercept = [&](const SeenRequest& r) -> std::optional<Reply> {
    if (r.op == "tags" && r.url.find("last=t1") != std::string::npos) raw_.cancelled = true;
    return std::nullopt;
  };
  dockerv2::ClientOptions o = options();
  o.tags_page_size = 0;
  dockerv2::Client client(o);
  auto [st, msg] = error_of([&] { list(client, request("acme/api")); });
  EXPECT_EQ(st, IU_STATUS_CANCELLED);
  EXPECT_EQ(msg, "registry reg.test: repository acme/api: tag listing cancelled after 3 pages");
  EXPECT_EQ(host_.count("tags"), 3u);  // the page during which it was cancelled, no more
}

}  // namespace
}  // namespace iu::test
