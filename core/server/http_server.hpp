// A small HTTP server (Boost.Beast) for /metrics, /healthz, /readyz and the webhook endpoint,
// over plain TCP or TLS (OpenSSL): HTTP/1.1, and HTTP/2 (libnghttp2) over TLS when asked for.
// Handlers run on the server's own thread; they must be quick (the webhook handler only
// validates and enqueues). Beast, Asio, OpenSSL and nghttp2 stay inside core/server's own
// files; this header is the only one meant for use outside it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace iu::server {

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // path with query, e.g. "/webhook?type=registry"
  std::string path;                            // target without the query
  std::map<std::string, std::string> query;    // decoded query parameters (last value wins)
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  std::string remote;  // peer address, for logs
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<Response(const Request&)>;

// HTTPS settings (SPEC §3.3 --tlsminversion/--tlsmaxversion/--tlsciphers, §12.1).
struct TlsOptions {
  // Directory holding `tls.crt` (PEM certificate, optionally followed by its chain) and
  // `tls.key` (PEM private key, unencrypted). Both present: they are served. Both absent: a
  // self-signed certificate (EC P-256, SAN DNS:localhost, IP:127.0.0.1, IP:::1, valid one year)
  // is generated in memory at start and an info line says so. Only one present, unreadable,
  // unparsable or not matching each other: the constructor throws TlsSetupError naming the file.
  // The files are read once, at start.
  std::string cert_dir = "/app/config/tls";
  // "1.1", "1.2" or "1.3". A minimum of 1.1 lowers OpenSSL's security level to 0 for this
  // server, with a warning (OpenSSL 3 refuses TLS 1.1 at level 1 and above).
  std::string min_version = "1.3";
  std::string max_version = "1.3";
  // Colon-separated cipher list for TLS <= 1.2 (TLS 1.3 suites are not configurable). Accepts
  // OpenSSL names and keywords and IANA names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, as Go
  // spells them); TLS 1.3 suite names are skipped. Empty = library defaults.
  std::string ciphers;
};

// Bad TLS settings or certificate files; the message names the setting or file. Never
// contains key material.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ServerOptions {
  std::string bind_address;       // ":8080", "127.0.0.1:0", "[::1]:8081"
  uint64_t body_limit = 1 << 20;  // larger bodies get 413
  std::optional<TlsOptions> tls;  // set: HTTPS only; unset: plain HTTP
  // TLS: a client must complete its handshake within this time or is dropped. A failed
  // handshake (including plain HTTP sent to the TLS port, answered with a plain-text 400 as
  // Go's net/http does) is logged at debug and affects no other connection.
  std::chrono::milliseconds handshake_timeout{10000};
  // HTTP/2 (SPEC §3.3 --enable-http2), as Go's net/http: with TLS, ALPN offers "h2" before
  // "http/1.1", and a client that picks h2 (on TLS 1.3, or TLS 1.2 with an ephemeral-key AEAD
  // cipher, RFC 9113 §9.2) is served HTTP/2 on the same port; other clients keep HTTP/1.1.
  // Each stream becomes one Request for the same routes. Per connection: at most 100
  // concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS), 16 KiB of request headers per stream
  // (431), `body_limit` per stream (413 once the body crosses it or ends; RST_STREAM NO_ERROR
  // after the response if the client is still sending), 8 x body_limit (at least 8 MiB) of
  // buffered request bodies (RST_STREAM REFUSED_STREAM), 1000 streams (then a graceful
  // GOAWAY), 100 streams reset by the client (GOAWAY ENHANCE_YOUR_CALM); 30 s without input
  // ends it with a GOAWAY. Protocol errors are logged at debug and end that connection only.
  // Destroying the server sends every HTTP/2 client a GOAWAY (waiting at most 2 s).
  // Without TLS this has no effect: no h2c (cleartext HTTP/2), as Go's default server.
  bool http2 = false;
};

class HttpServer {
 public:
  // Sets up TLS (throws TlsSetupError), binds at once (throws std::runtime_error naming the
  // address on failure) and serves until destroyed. Unknown paths get 404.
  HttpServer(ServerOptions options, std::map<std::string, Handler> routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port actually bound (useful with port 0).
  uint16_t port() const;

  // PEM of the certificate served (the leaf only), e.g. for a client to trust the self-signed
  // one; empty for plain HTTP.
  const std::string& certificate_pem() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses ":8080" / "host:port" / "[v6]:port". Returns false for malformed text.
bool parse_bind_address(const std::string& text, std::string* host, uint16_t* port);

}  // namespace iu::server
