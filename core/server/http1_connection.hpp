// An accepted connection of an HttpServer: on a TLS server, detection of plain HTTP (answered
// 400) and the handshake, which hands "h2" connections to http2_connection; HTTP/1.1
// (Boost.Beast) for the others. Internal to core/server.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "server/server_state.hpp"

namespace iu::server {

// Serves `socket` until the client or an error ends it: HTTP/1.1, or on a TLS server (server.tls
// set) the TLS ClientHello first, then the handshake, both within options.handshake_timeout,
// then HTTP/2 if ALPN chose "h2", else HTTP/1.1. Server thread; the connection lives in the
// handlers of the socket's executor (the server's io_context).
void serve_connection(ServerState& server, boost::asio::ip::tcp::socket socket);

}  // namespace iu::server
