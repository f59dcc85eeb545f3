// What an HttpServer shares with its connections (http1_connection, http2_connection): its
// options, routes, TLS context and live HTTP/2 connections. Internal to core/server.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/http_server.hpp"

namespace iu::server {

class Http2Connection;

// Set up by the HttpServer constructor, then used on the server's thread only. It outlives
// every connection: connections live in the handlers of the server's io_context, which goes
// first (HttpServer::Impl).
struct ServerState {
  ServerOptions options;
  std::map<std::string, Handler> routes;
  std::unique_ptr<boost::asio::ssl::context> tls;                 // set: HTTPS only
  std::vector<std::weak_ptr<Http2Connection>> http2_connections;  // live ones, for GOAWAY

  // The response of the route for req.path: 404 when there is none, 500 when its handler
  // throws (logged).
  Response dispatch(const Request& req) const;
};

// The peer's address, for logs; "" when the socket has none (any more).
std::string remote_of(boost::beast::tcp_stream& s);

}  // namespace iu::server
