// A small HTTP/1.1 server (Boost.Beast) for /metrics, /healthz, /readyz and the webhook
// endpoint. Handlers run on the server's own thread; they must be quick (the webhook handler
// only validates and enqueues). Beast and Asio stay inside http_server.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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

struct ServerOptions {
  std::string bind_address;       // ":8080", "127.0.0.1:0", "[::1]:8081"
  uint64_t body_limit = 1 << 20;  // larger bodies get 413
};

class HttpServer {
 public:
  // Binds at once (throws std::runtime_error naming the address on failure) and serves until
  // destroyed. Unknown paths get 404.
  HttpServer(ServerOptions options, std::map<std::string, Handler> routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The port actually bound (useful with port 0).
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Parses ":8080" / "host:port" / "[v6]:port". Returns false for malformed text.
bool parse_bind_address(const std::string& text, std::string* host, uint16_t* port);

}  // namespace iu::server
