// The Beast server: routing, query and header parsing, body limit, bind errors.
#include "server/http_server.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace iu::server {
namespace {

struct Reply {
  long status = 0;
  std::string body;
};

Reply fetch(uint16_t port, const std::string& path, const std::string& post_body = {},
            bool post = false) {
  Reply r;
  CURL* c = curl_easy_init();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_slist* headers = curl_slist_append(nullptr, "X-Registry-Type: registry");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (post) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post_body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(post_body.size()));
  }
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* u) {
        static_cast<std::string*>(u)->append(p, s * n);
        return s * n;
      });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  EXPECT_EQ(curl_easy_perform(c), CURLE_OK) << url;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  return r;
}

TEST(HttpServer, RoutesParsesAndLimits) {
  HttpServer s({"127.0.0.1:0", 64},
               {{"/healthz",
                 [](const Request&) {
                   return Response{200, "text/plain", "ok\n", {}};
                 }},
                {"/echo",
                 [](const Request& r) {
                   return Response{201,
                                   "text/plain",
                                   r.method + " " + r.query.at("type") + " " +
                                       r.headers.at("x-registry-type") + " " + r.body,
                                   {{"X-Extra", "1"}}};
                 }},
                {"/throws", [](const Request&) -> Response { throw std::runtime_error("bug"); }}});
  ASSERT_GT(s.port(), 0);
  EXPECT_EQ(fetch(s.port(), "/healthz").body, "ok\n");
  auto e = fetch(s.port(), "/echo?type=a%20b&x=1", "payload", true);
  EXPECT_EQ(e.status, 201);
  EXPECT_EQ(e.body, "POST a b registry payload");
  EXPECT_EQ(fetch(s.port(), "/nowhere").status, 404);
  EXPECT_EQ(fetch(s.port(), "/throws").status, 500);
  EXPECT_EQ(fetch(s.port(), "/echo?type=x", std::string(100, 'x'), true).status, 413);
  EXPECT_EQ(fetch(s.port(), "/healthz").status, 200) << "the server goes on after a 413";
}

TEST(HttpServer, BindAddresses) {
  std::string host;
  uint16_t port = 0;
  EXPECT_TRUE(parse_bind_address(":8080", &host, &port));
  EXPECT_EQ(host, "0.0.0.0");
  EXPECT_EQ(port, 8080);
  EXPECT_TRUE(parse_bind_address("[::1]:0", &host, &port));
  EXPECT_EQ(host, "::1");
  EXPECT_FALSE(parse_bind_address("8080", &host, &port));
  EXPECT_FALSE(parse_bind_address(":99999", &host, &port));
  HttpServer first({"127.0.0.1:0", 1024}, {});
  try {
    HttpServer second({"127.0.0.1:" + std::to_string(first.port()), 1024}, {});
    FAIL() << "binding a used port must fail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace iu::server
