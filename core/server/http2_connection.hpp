// HTTP/2 for an HttpServer (ServerOptions::http2): one libnghttp2 server session per TLS
// connection whose ALPN chose "h2", each stream answered from the server's routes, within the
// per-connection limits of http2_connection.cpp. Internal to core/server.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <functional>

#include "server/server_state.hpp"

namespace iu::server {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// A live HTTP/2 connection, as its server sees it (ServerState::http2_connections).
class Http2Connection {
 public:
  // Server shutdown: GOAWAY (NO_ERROR, the last stream processed), then the connection
  // closes; `on_sent` is called once that is done or the connection is gone. Server thread.
  virtual void shutdown(std::function<void()> on_sent) = 0;

 protected:
  ~Http2Connection() = default;
};

// Serves HTTP/2 on `stream`, whose TLS handshake is done with ALPN "h2", until either side ends
// it; `already_read` holds input already read from the connection, taken before the stream's.
// Once its nghttp2 session is set up the connection is listed in server.http2_connections.
// Server thread; the connection lives in the handlers of the stream's executor (the server's
// io_context), so `server` must outlive that context's handlers.
void serve_http2(ServerState& server, TlsStream stream, boost::beast::flat_buffer already_read);

}  // namespace iu::server
