#include "server/http1_connection.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

#include "log/log.hpp"
#include "server/http2_connection.hpp"
#include "server/request_target.hpp"
#include "server/tls_context.hpp"

namespace iu::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

void log_handshake_failure(beast::tcp_stream& s, const std::string& error) {
  log::debug("TLS handshake failed", {{"remote", remote_of(s)}, {"error", error}});
}

// One connection, plain (Stream = beast::tcp_stream) or TLS (beast::ssl_stream over it):
// [handshake,] then requests until the client or an error ends it.
template <class Stream>
struct Session : std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  // `buf` holds bytes already read from the connection (the TLS detector's).
  template <class... Args>
  Session(ServerState* s, beast::flat_buffer buf, Args&&... args)
      : server(s), stream(std::forward<Args>(args)...), buffer(std::move(buf)) {}
  ServerState* server;
  Stream stream;
  beast::flat_buffer buffer;
  std::optional<http::request_parser<http::string_body>> parser;
  http::response<http::string_body> response;

  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

  // TLS only: the server side of the handshake, over the bytes already in `buffer`; then
  // HTTP/2 if ALPN chose "h2", else HTTP/1.1.
  void handshake(std::chrono::steady_clock::time_point deadline) {
    tcp().expires_at(deadline);
    stream.async_handshake(ssl::stream_base::server, buffer.data(),
                           [self = this->shared_from_this()](beast::error_code ec, size_t used) {
                             if (ec) return log_handshake_failure(self->tcp(), ec.message());
                             self->buffer.consume(used);
                             if constexpr (kTls) {
                               if (alpn_is_h2(self->stream.native_handle())) {
                                 serve_http2(*self->server, std::move(self->stream),
                                             std::move(self->buffer));
                                 return;
                               }
                             }
                             self->read();
                           });
  }

  void read() {
    parser.emplace();
    parser->body_limit(server->options.body_limit);
    tcp().expires_after(std::chrono::seconds(30));
    http::async_read(
        stream, buffer, *parser,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof) return close();
    Response out;
    bool keep_alive = false;
    if (ec == http::error::body_limit) {
      out = Response{413, "text/plain; charset=utf-8", "request body too large\n", {}};
    } else if (ec) {
      if constexpr (kTls) {
        // The peer left without close_notify, or the connection broke: nothing to say.
        return;
      } else {
        return close();
      }
    } else {
      const auto& msg = parser->get();
      Request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      split_target(req.target, req);
      for (const auto& f : msg) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers[name] = std::string(f.value());
      }
      req.body = msg.body();
      req.remote = remote_of(tcp());
      keep_alive = msg.keep_alive();
      out = server->dispatch(req);
    }
    response = {};
    response.version(11);
    response.result(static_cast<http::status>(out.status));
    response.set(http::field::content_type, out.content_type);
    for (const auto& [k, v] : out.headers) response.set(k, v);
    response.body() = std::move(out.body);
    response.keep_alive(keep_alive);
    response.prepare_payload();
    http::async_write(stream, response,
                      [self = this->shared_from_this(), keep_alive](beast::error_code wec, size_t) {
                        if (!wec && keep_alive) return self->read();
                        self->close();
                      });
  }

  void close() {
    if constexpr (kTls) {
      // close_notify, bounded in time; the socket closes when the session goes.
      tcp().expires_after(server->options.handshake_timeout);
      stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }
};

// First step on a TLS server: a TLS ClientHello continues as a TLS session; anything else
// (plain HTTP) gets Go's plain-text 400 and the connection closes.
struct Detector : std::enable_shared_from_this<Detector> {
  Detector(ServerState* s, tcp::socket sock) : server(s), stream(std::move(sock)) {}
  ServerState* server;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  std::chrono::steady_clock::time_point deadline;  // detection and handshake together

  void run() {
    deadline = std::chrono::steady_clock::now() + server->options.handshake_timeout;
    stream.expires_at(deadline);
    beast::async_detect_ssl(stream, buffer,
                            [self = shared_from_this()](beast::error_code ec, bool is_tls) {
                              self->on_detect(ec, is_tls);
                            });
  }

  void on_detect(beast::error_code ec, bool is_tls) {
    if (ec) return log_handshake_failure(stream, ec.message());
    if (is_tls) {
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          server, std::move(buffer), std::move(stream), *server->tls)
          ->handshake(deadline);
      return;
    }
    log_handshake_failure(stream, "not a TLS ClientHello (plain HTTP?); answered 400");
    response.version(11);
    response.result(http::status::bad_request);
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = "Client sent an HTTP request to an HTTPS server.\n";
    response.keep_alive(false);
    response.prepare_payload();
    http::async_write(stream, response, [self = shared_from_this()](beast::error_code, size_t) {
      beast::error_code ignored;
      self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    });
  }
};

}  // namespace

void serve_connection(ServerState& server, tcp::socket socket) {
  if (server.tls)
    std::make_shared<Detector>(&server, std::move(socket))->run();
  else
    std::make_shared<Session<beast::tcp_stream>>(&server, beast::flat_buffer(), std::move(socket))
        ->read();
}

}  // namespace iu::server
