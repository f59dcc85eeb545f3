// HTTP/2 on the Beast server (ServerOptions::http2, SPEC §3.3 --enable-http2, §12.1): ALPN "h2"
// over TLS next to HTTP/1.1, requests and responses through libcurl (an independent client,
// built with nghttp2), many streams on one connection, the limits, abusive clients (raw frames
// over OpenSSL), and GOAWAY when the server goes.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/http_server.hpp"
#include "temp_dir.hpp"

namespace iu::server {
namespace {

using iu::test::TempDir;

std::map<std::string, Handler> routes() {
  return {{"/healthz",
           [](const Request&) {
             return Response{200, "text/plain", "OK", {}};
           }},
          {"/echo",
           [](const Request& r) {
             auto h = r.headers.find("x-test");
             auto q = r.query.find("q");
             return Response{201,
                             "text/plain",
                             r.method + " " + (q == r.query.end() ? "" : q->second) + " " + r.body,
                             {{"X-Echo", h == r.headers.end() ? "-" : h->second},
                              {"Connection", "keep-alive"}}};  // dropped over HTTP/2
           }},
          {"/host", [](const Request& r) {
             auto h = r.headers.find("host");
             return Response{200, "text/plain", h == r.headers.end() ? "" : h->second, {}};
           }}};
}

struct Server {
  TempDir certs;  // empty: self-signed
  std::unique_ptr<HttpServer> http;
  explicit Server(bool http2, uint64_t body_limit = 64, TlsOptions tls = {}) {
    ServerOptions o{"127.0.0.1:0", body_limit};
    tls.cert_dir = certs.path().string();
    o.tls = tls;
    o.http2 = http2;
    http = std::make_unique<HttpServer>(o, routes());
  }
  uint16_t port() const { return http->port(); }
};

struct Call {
  std::string path = "/healthz";
  long version = CURL_HTTP_VERSION_2TLS;
  std::optional<std::string> post;  // body
  bool chunked = false;             // the body without a length
  bool head = false;
  std::vector<std::string> headers;
  std::string ciphers;  // TLS <= 1.2, OpenSSL names
};

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  long http_version = 0;  // CURL_HTTP_VERSION_1_1 or CURL_HTTP_VERSION_2_0
  std::string body;
  std::string headers;  // raw response header lines
  std::string error;
  long new_connections = 0;
};

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t append(char* p, size_t s, size_t n, void* u) {
  static_cast<std::string*>(u)->append(p, s * n);
  return s * n;
}

size_t read_upload(char* p, size_t s, size_t n, void* u) {
  auto* up = static_cast<Upload*>(u);
  size_t len = std::min(s * n, up->data.size() - up->offset);
  std::memcpy(p, up->data.data() + up->offset, len);
  up->offset += len;
  return len;
}

// A configured easy handle, `reuse` (reset, keeping its connections) or a new one; `r`, `up`,
// `list` and `error` must outlive the transfer.
CURL* make_handle(uint16_t port, const Call& c, Reply& r, Upload& up, curl_slist*& list,
                  char* error, CURL* reuse = nullptr) {
  CURL* h = reuse ? reuse : curl_easy_init();
  if (reuse) curl_easy_reset(h);
  std::string url = "https://127.0.0.1:" + std::to_string(port) + c.path;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);  // the self-signed certificate
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, c.version);
  if (!c.ciphers.empty()) curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, c.ciphers.c_str());
  for (const auto& line : c.headers) list = curl_slist_append(list, line.c_str());
  if (list) curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  if (c.post && c.chunked) {
    up.data = *c.post;
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
  } else if (c.post) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(c.post->size()));
    curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, c.post->c_str());
  } else if (c.head) {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &r.headers);
  return h;
}

void collect(CURL* h, Reply& r, const char* error) {
  r.error = error;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &r.http_version);
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r.new_connections);
}

// One request; pass `handle` to reuse its connection.
Reply fetch(uint16_t port, const Call& c, CURL* handle = nullptr) {
  Reply r;
  Upload up;
  curl_slist* list = nullptr;
  char error[CURL_ERROR_SIZE] = {0};
  CURL* h = make_handle(port, c, r, up, list, error, handle);
  r.code = curl_easy_perform(h);
  collect(h, r, error);
  if (!handle) curl_easy_cleanup(h);
  curl_slist_free_all(list);
  return r;
}

TEST(Http2Server, RequestsAndResponsesOverH2) {
  Server s(true);

  auto get = fetch(s.port(), Call{});
  EXPECT_EQ(get.code, CURLE_OK) << get.error;
  EXPECT_EQ(get.http_version, CURL_HTTP_VERSION_2_0) << "ALPN h2";
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "OK");
  EXPECT_NE(get.headers.find("content-type: text/plain"), std::string::npos) << get.headers;
  EXPECT_NE(get.headers.find("content-length: 2"), std::string::npos) << get.headers;

  // A webhook-like POST: method, decoded query, body, request and response headers.
  Call post;
  post.path = "/echo?q=a%20b";
  post.post = "payload";
  post.headers = {"X-Test: hello"};
  auto echo = fetch(s.port(), post);
  EXPECT_EQ(echo.code, CURLE_OK) << echo.error;
  EXPECT_EQ(echo.http_version, CURL_HTTP_VERSION_2_0);
  EXPECT_EQ(echo.status, 201);
  EXPECT_EQ(echo.body, "POST a b payload");
  EXPECT_NE(echo.headers.find("x-echo: hello"), std::string::npos) << echo.headers;
  EXPECT_EQ(echo.headers.find("connection"), std::string::npos) << "connection-specific";

  // A body without a length (DATA frames only).
  post.chunked = true;
  post.post = "streamed";
  auto streamed = fetch(s.port(), post);
  EXPECT_EQ(streamed.status, 201) << streamed.error;
  EXPECT_EQ(streamed.body, "POST a b streamed");

  // :authority becomes Host.
  Call host;
  host.path = "/host";
  EXPECT_EQ(fetch(s.port(), host).body, "127.0.0.1:" + std::to_string(s.port()));

  Call head;
  head.head = true;
  auto h = fetch(s.port(), head);
  EXPECT_EQ(h.code, CURLE_OK) << h.error;
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "");

  Call missing;
  missing.path = "/nowhere";
  auto nf = fetch(s.port(), missing);
  EXPECT_EQ(nf.http_version, CURL_HTTP_VERSION_2_0);
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.body, "not found\n");
}

TEST(Http2Server, BodyAndHeaderLimits) {
  Server s(true);  // body limit 64
  Call big;
  big.path = "/echo?q=x";
  big.post = std::string(100, 'x');  // content-length over the limit
  auto r = fetch(s.port(), big);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.http_version, CURL_HTTP_VERSION_2_0);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.body, "request body too large\n");

  big.chunked = true;  // no length, exactly the limit
  big.post = std::string(64, 'z');
  r = fetch(s.port(), big);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "POST x " + std::string(64, 'z'));

  Call huge_header;
  huge_header.headers = {"X-Big: " + std::string(20000, 'h')};
  r = fetch(s.port(), huge_header);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 431);

  EXPECT_EQ(fetch(s.port(), Call{}).status, 200) << "the server is fine afterwards";
}

TEST(Http2Server, Http1ClientsAndHttp2OffServeHttp11) {
  Server on(true);
  Call http11;
  http11.version = CURL_HTTP_VERSION_1_1;  // ALPN offers only http/1.1
  auto r = fetch(on.port(), http11);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.http_version, CURL_HTTP_VERSION_1_1);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "OK");
  Call post = http11;
  post.path = "/echo?q=1";
  post.post = "one";
  EXPECT_EQ(fetch(on.port(), post).body, "POST 1 one");

  Server off(false);
  auto d = fetch(off.port(), Call{});  // the client offers h2; the server picks http/1.1
  EXPECT_EQ(d.code, CURLE_OK) << d.error;
  EXPECT_EQ(d.http_version, CURL_HTTP_VERSION_1_1);
  EXPECT_EQ(d.status, 200);
}

TEST(Http2Server, Tls12OffersH2OnlyWithAnEphemeralAeadCipher) {
  // RFC 9113 §9.2: over TLS 1.2 a CBC suite is on the prohibited list; such a connection gets
  // HTTP/1.1 even though the client asks for h2.
  TlsOptions tls;
  tls.min_version = "1.2";
  tls.max_version = "1.2";
  tls.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA256";
  Server s(true, 64, tls);
  Call aead;
  aead.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
  auto r = fetch(s.port(), aead);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.http_version, CURL_HTTP_VERSION_2_0);
  EXPECT_EQ(r.status, 200);
  Call cbc;
  cbc.ciphers = "ECDHE-ECDSA-AES128-SHA256";
  r = fetch(s.port(), cbc);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.http_version, CURL_HTTP_VERSION_1_1);
  EXPECT_EQ(r.status, 200);
}

TEST(Http2Server, PlainHttpServerIgnoresHttp2) {
  // No h2c: a plain-HTTP server with http2 on serves HTTP/1.1 (as Go's default server).
  ServerOptions o{"127.0.0.1:0", 64};
  o.http2 = true;
  HttpServer s(o, routes());
  CURL* h = curl_easy_init();
  std::string url = "http://127.0.0.1:" + std::to_string(s.port()) + "/healthz";
  std::string body;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
  EXPECT_EQ(curl_easy_perform(h), CURLE_OK);
  long version = 0, status = 0;
  curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &version);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(h);
  EXPECT_EQ(version, CURL_HTTP_VERSION_1_1);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body, "OK");
}

TEST(Http2Server, ManyConcurrentStreamsOnOneConnection) {
  Server s(true, 1 << 20);
  constexpr int kRequests = 50;
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  std::vector<Reply> replies(kRequests);
  std::vector<Upload> uploads(kRequests);
  std::vector<curl_slist*> lists(kRequests, nullptr);
  std::vector<std::array<char, CURL_ERROR_SIZE>> errors(kRequests);
  std::vector<CURL*> handles;
  for (int i = 0; i < kRequests; ++i) {
    Call c;
    c.path = "/echo?q=" + std::to_string(i);
    if (i % 2) c.post = "body-" + std::to_string(i);
    errors[i].fill(0);
    CURL* h = make_handle(s.port(), c, replies[i], uploads[i], lists[i], errors[i].data());
    curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);  // wait for the connection and multiplex on it
    curl_multi_add_handle(multi, h);
    handles.push_back(h);
  }
  int running = 0;
  do {
    ASSERT_EQ(curl_multi_perform(multi, &running), CURLM_OK);
    if (running) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  } while (running);
  while (CURLMsg* m = curl_multi_info_read(multi, &running))
    if (m->msg == CURLMSG_DONE)
      for (int i = 0; i < kRequests; ++i)
        if (handles[i] == m->easy_handle) replies[i].code = m->data.result;
  long connections = 0;
  for (int i = 0; i < kRequests; ++i) {
    collect(handles[i], replies[i], errors[i].data());
    SCOPED_TRACE(i);
    EXPECT_EQ(replies[i].code, CURLE_OK) << replies[i].error;
    EXPECT_EQ(replies[i].http_version, CURL_HTTP_VERSION_2_0);
    EXPECT_EQ(replies[i].status, 201);
    EXPECT_EQ(replies[i].body, std::string(i % 2 ? "POST " : "GET ") + std::to_string(i) + " " +
                                   (i % 2 ? "body-" + std::to_string(i) : ""));
    connections += replies[i].new_connections;
    curl_multi_remove_handle(multi, handles[i]);
    curl_easy_cleanup(handles[i]);
    curl_slist_free_all(lists[i]);
  }
  curl_multi_cleanup(multi);
  EXPECT_EQ(connections, 1) << "all streams multiplexed on one connection";
}

// ---- a raw HTTP/2 client: TLS (ALPN h2) over a socket, frames written and read by hand ----

struct Frame {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream = 0;
  std::string payload;
};

constexpr uint8_t kData = 0x0, kHeaders = 0x1, kRstStream = 0x3, kSettings = 0x4, kGoaway = 0x7;
constexpr uint8_t kEndStream = 0x1, kEndHeaders = 0x4;
constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

std::string frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
  std::string f;
  const size_t n = payload.size();
  f += static_cast<char>(n >> 16);
  f += static_cast<char>(n >> 8);
  f += static_cast<char>(n);
  f += static_cast<char>(type);
  f += static_cast<char>(flags);
  f += static_cast<char>(stream >> 24);
  f += static_cast<char>(stream >> 16);
  f += static_cast<char>(stream >> 8);
  f += static_cast<char>(stream);
  return f + payload;
}

uint32_t be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

// HPACK for a request: static-table :method (0x82 GET, 0x83 POST), :scheme https (0x87), and
// literal :path / :authority (indexed names 4 and 1, values under 127 bytes, no Huffman).
std::string request_block(const std::string& path, char method = '\x83') {
  std::string b{method, '\x87'};
  b += '\x04';
  b += static_cast<char>(path.size());
  b += path;
  b += '\x01';
  b += static_cast<char>(9);
  b += "127.0.0.1";
  return b;
}

struct RawH2 {
  int fd = -1;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;

  explicit RawH2(uint16_t port) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return;
    timeval tv{10, 0};  // no test waits forever
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ctx = SSL_CTX_new(TLS_client_method());
    static const unsigned char alpn[] = "\x02h2";
    SSL_CTX_set_alpn_protos(ctx, alpn, 3);
    ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1) {
      SSL_free(ssl);
      ssl = nullptr;
    }
  }
  ~RawH2() {
    if (ssl) SSL_free(ssl);
    if (ctx) SSL_CTX_free(ctx);
    if (fd >= 0) close(fd);
  }

  bool h2() const {
    const unsigned char* p = nullptr;
    unsigned int n = 0;
    if (ssl) SSL_get0_alpn_selected(ssl, &p, &n);
    return n == 2 && std::memcmp(p, "h2", 2) == 0;
  }

  bool send(const std::string& bytes) {
    return SSL_write(ssl, bytes.data(), static_cast<int>(bytes.size())) ==
           static_cast<int>(bytes.size());
  }

  bool read_exact(char* p, size_t n) {
    while (n > 0) {
      int got = SSL_read(ssl, p, static_cast<int>(n));
      if (got <= 0) return false;
      p += got;
      n -= static_cast<size_t>(got);
    }
    return true;
  }

  // The next frame; nullopt at the end of the connection (or after 10 s of silence).
  std::optional<Frame> next() {
    char h[9];
    if (!read_exact(h, 9)) return std::nullopt;
    Frame f;
    const size_t n = (static_cast<size_t>(static_cast<unsigned char>(h[0])) << 16) |
                     (static_cast<size_t>(static_cast<unsigned char>(h[1])) << 8) |
                     static_cast<unsigned char>(h[2]);
    f.type = static_cast<uint8_t>(h[3]);
    f.flags = static_cast<uint8_t>(h[4]);
    f.stream = be32(std::string(h, 9), 5) & 0x7fffffffu;
    f.payload.resize(n);
    if (n && !read_exact(f.payload.data(), n)) return std::nullopt;
    return f;
  }

  // Frames until the connection ends.
  std::vector<Frame> until_closed() {
    std::vector<Frame> out;
    while (auto f = next()) out.push_back(*f);
    return out;
  }

  // Preface and an empty SETTINGS; true once the server's SETTINGS arrived.
  bool open() {
    if (!ssl || !send(std::string(kPreface, sizeof kPreface - 1) + frame(kSettings, 0, 0, "")))
      return false;
    auto f = next();
    return f && f->type == kSettings;
  }
};

const Frame* find(const std::vector<Frame>& frames, uint8_t type, uint32_t stream = 0) {
  for (const auto& f : frames)
    if (f.type == type && (type == kGoaway || f.stream == stream)) return &f;
  return nullptr;
}

uint32_t goaway_code(const Frame& f) { return f.payload.size() >= 8 ? be32(f.payload, 4) : ~0u; }

TEST(Http2Server, BodyOverTheLimitWithoutLengthIsAnswered413ThenReset) {
  // Over the limit in the DATA frames (no content-length): the 413 response goes out at once,
  // then RST_STREAM NO_ERROR stops the upload (RFC 9113 §8.1, as Go's server). Raw frames here:
  // curl 7.88 reports an error for a stream reset while it still uploads.
  Server s(true);  // body limit 64
  RawH2 c(s.port());
  ASSERT_TRUE(c.open());
  ASSERT_TRUE(c.send(frame(kHeaders, kEndHeaders, 1, request_block("/echo?q=x")) +
                     frame(kData, 0, 1, std::string(100, 'y'))));
  std::vector<Frame> frames;
  std::optional<Frame> f;
  while ((f = c.next()) && !(f->type == kRstStream && f->stream == 1)) frames.push_back(*f);
  ASSERT_TRUE(f) << "RST_STREAM on stream 1";
  EXPECT_EQ(be32(f->payload, 0), 0u) << "NO_ERROR";
  ASSERT_NE(find(frames, kHeaders, 1), nullptr);
  const Frame* body = find(frames, kData, 1);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->payload, "request body too large\n");
  EXPECT_TRUE(body->flags & kEndStream);
  // The connection goes on.
  ASSERT_TRUE(
      c.send(frame(kHeaders, kEndHeaders | kEndStream, 3, request_block("/healthz", '\x82'))));
  while ((f = c.next()) && !(f->type == kData && f->stream == 3)) {
  }
  ASSERT_TRUE(f);
  EXPECT_EQ(f->payload, "OK");
}

TEST(Http2Server, GarbageAfterThePrefaceEndsOnlyThatConnection) {
  Server s(true);
  RawH2 bad(s.port());
  ASSERT_TRUE(bad.h2());
  ASSERT_TRUE(bad.open());
  // A frame header announcing 16 MiB of an unknown type on stream 0, then noise.
  ASSERT_TRUE(bad.send(std::string(64, '\xff')));
  auto second = fetch(s.port(), Call{});  // another connection meanwhile
  EXPECT_EQ(second.code, CURLE_OK) << second.error;
  EXPECT_EQ(second.http_version, CURL_HTTP_VERSION_2_0);
  EXPECT_EQ(second.status, 200);
  auto frames = bad.until_closed();
  const Frame* goaway = find(frames, kGoaway);
  ASSERT_NE(goaway, nullptr) << "a GOAWAY before the connection closes";
  EXPECT_NE(goaway_code(*goaway), 0u) << "an error code (FRAME_SIZE_ERROR or PROTOCOL_ERROR)";

  // No preface at all: dropped too.
  RawH2 no_preface(s.port());
  ASSERT_TRUE(no_preface.h2());
  ASSERT_TRUE(no_preface.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(64, 'x')));
  no_preface.until_closed();
  EXPECT_EQ(fetch(s.port(), Call{}).status, 200);
}

TEST(Http2Server, ConcurrentStreamsAreCappedAt100) {
  Server s(true);
  RawH2 c(s.port());
  ASSERT_TRUE(c.open());
  // 101 POSTs left open (no END_STREAM): the 101st is refused.
  std::string burst;
  for (uint32_t i = 0; i < 101; ++i)
    burst += frame(kHeaders, kEndHeaders, 1 + 2 * i, request_block("/echo?q=" + std::to_string(i)));
  ASSERT_TRUE(c.send(burst));
  std::optional<Frame> f;
  while ((f = c.next()) && !(f->type == kRstStream && f->stream == 201)) {
  }
  ASSERT_TRUE(f) << "RST_STREAM on stream 201";
  EXPECT_EQ(be32(f->payload, 0), 7u) << "REFUSED_STREAM";
  // The others still work: end stream 1 with a body.
  ASSERT_TRUE(c.send(frame(kData, kEndStream, 1, "done")));
  while ((f = c.next()) && !(f->type == kData && f->stream == 1)) {
  }
  ASSERT_TRUE(f);
  EXPECT_EQ(f->payload, "POST 0 done");
}

TEST(Http2Server, AThousandStreamsPerConnectionThenGoaway) {
  Server s(true);
  RawH2 c(s.port());
  ASSERT_TRUE(c.open());
  // 1001 GETs in batches of 50; the 1000th (stream 1999) is the last one served.
  uint32_t answered = 0;
  std::optional<Frame> goaway;
  for (uint32_t batch = 0; batch * 50 < 1001; ++batch) {
    std::string burst;
    uint32_t first = batch * 50, last = std::min<uint32_t>(first + 50, 1001);
    for (uint32_t i = first; i < last; ++i)
      burst +=
          frame(kHeaders, kEndHeaders | kEndStream, 1 + 2 * i, request_block("/healthz", '\x82'));
    ASSERT_TRUE(c.send(burst));
    if (last == 1001) break;
    for (uint32_t got = 0; got < last - first;) {
      auto f = c.next();
      ASSERT_TRUE(f) << "after " << answered << " answers";
      if (f->type == kData && (f->flags & kEndStream)) ++got, ++answered;
      if (f->type == kGoaway) goaway = f;
    }
  }
  for (const auto& f : c.until_closed()) {
    if (f.type == kData && (f.flags & kEndStream)) {
      ++answered;
      EXPECT_LE(f.stream, 1999u);
    }
    if (f.type == kGoaway) goaway = f;
  }
  EXPECT_EQ(answered, 1000u);
  ASSERT_TRUE(goaway) << "a graceful GOAWAY";
  EXPECT_EQ(be32(goaway->payload, 0), 1999u) << "last stream id";
  EXPECT_EQ(goaway_code(*goaway), 0u) << "NO_ERROR";
}

TEST(Http2Server, RapidResetIsCut) {
  Server s(true);
  RawH2 c(s.port());
  ASSERT_TRUE(c.open());
  // CVE-2023-44487 style: open a stream and cancel it, again and again.
  std::string burst;
  for (uint32_t i = 0; i < 150; ++i) {
    const uint32_t id = 1 + 2 * i;
    burst += frame(kHeaders, kEndHeaders, id, request_block("/echo"));
    burst += frame(kRstStream, 0, id, std::string("\0\0\0\x08", 4));  // CANCEL
  }
  c.send(burst);  // the server may close before reading it all
  auto frames = c.until_closed();
  const Frame* goaway = find(frames, kGoaway);
  ASSERT_NE(goaway, nullptr);
  EXPECT_EQ(goaway_code(*goaway), 0xbu) << "ENHANCE_YOUR_CALM";
  EXPECT_EQ(fetch(s.port(), Call{}).status, 200) << "other connections are unaffected";
}

TEST(Http2Server, DestructionSendsGoawayAndDoesNotHang) {
  auto s = std::make_unique<Server>(true);
  const uint16_t port = s->port();
  // A curl connection kept open in the handle, and a raw one.
  CURL* kept = curl_easy_init();
  auto first = fetch(port, Call{}, kept);
  ASSERT_EQ(first.code, CURLE_OK) << first.error;
  ASSERT_EQ(first.http_version, CURL_HTTP_VERSION_2_0);
  RawH2 raw(port);
  ASSERT_TRUE(raw.open());
  ASSERT_TRUE(raw.send(frame(kHeaders, kEndHeaders | kEndStream, 1, request_block("/healthz"))));

  auto gone = std::async(std::launch::async, [&] { s.reset(); });
  ASSERT_EQ(gone.wait_for(std::chrono::seconds(20)), std::future_status::ready)
      << "the destructor returns";
  auto frames = raw.until_closed();
  const Frame* goaway = find(frames, kGoaway);
  ASSERT_NE(goaway, nullptr) << "GOAWAY on server shutdown";
  EXPECT_EQ(goaway_code(*goaway), 0u) << "NO_ERROR";

  auto after = fetch(port, Call{}, kept);
  EXPECT_NE(after.code, CURLE_OK) << "nobody listens any more";
  curl_easy_cleanup(kept);
}

}  // namespace
}  // namespace iu::server
