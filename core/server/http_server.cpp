#include "server/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "log/log.hpp"

namespace iu::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void split_target(const std::string& target, Request& r) {
  size_t q = target.find('?');
  r.path = target.substr(0, q);
  if (q == std::string::npos) return;
  std::string_view rest(target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view kv = rest.substr(0, amp);
    size_t eq = kv.find('=');
    r.query[url_decode(kv.substr(0, eq))] =
        eq == std::string_view::npos ? std::string() : url_decode(kv.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

}  // namespace

bool parse_bind_address(const std::string& text, std::string* host, uint16_t* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string h = text.substr(0, colon);
  std::string p = text.substr(colon + 1);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
    return false;
  unsigned long v = std::stoul(p);
  if (v > 65535) return false;
  *host = h.empty() ? "0.0.0.0" : h;
  *port = static_cast<uint16_t>(v);
  return true;
}

struct HttpServer::Impl {
  ServerOptions options;
  std::map<std::string, Handler> routes;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) accept();
        return;
      }
      std::make_shared<Session>(this, std::move(socket))->read();
      accept();
    });
  }

  Response dispatch(const Request& req) const {
    auto it = routes.find(req.path);
    if (it == routes.end()) return Response{404, "text/plain; charset=utf-8", "not found\n", {}};
    try {
      return it->second(req);
    } catch (const std::exception& e) {
      log::error("HTTP handler failed", {{"path", req.path}, {"error", e.what()}});
      return Response{500, "text/plain; charset=utf-8", "internal error\n", {}};
    }
  }

  struct Session : std::enable_shared_from_this<Session> {
    Session(Impl* s, tcp::socket sock) : server(s), stream(std::move(sock)) {}
    Impl* server;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    std::optional<http::request_parser<http::string_body>> parser;
    http::response<http::string_body> response;

    void read() {
      parser.emplace();
      parser->body_limit(server->options.body_limit);
      stream.expires_after(std::chrono::seconds(30));
      http::async_read(
          stream, buffer, *parser,
          [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
      if (ec == http::error::end_of_stream || ec == asio::error::eof) return close();
      Response out;
      bool keep_alive = false;
      if (ec == http::error::body_limit) {
        out = Response{413, "text/plain; charset=utf-8", "request body too large\n", {}};
      } else if (ec) {
        return close();
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
        beast::error_code ep_ec;
        auto ep = stream.socket().remote_endpoint(ep_ec);
        if (!ep_ec) req.remote = ep.address().to_string();
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
                        [self = shared_from_this(), keep_alive](beast::error_code wec, size_t) {
                          if (!wec && keep_alive) return self->read();
                          self->close();
                        });
    }

    void close() {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  };
};

HttpServer::HttpServer(ServerOptions options, std::map<std::string, Handler> routes)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->routes = std::move(routes);
  std::string host;
  uint16_t port = 0;
  if (!parse_bind_address(impl_->options.bind_address, &host, &port))
    throw std::runtime_error("invalid bind address \"" + impl_->options.bind_address +
                             "\" (expected [host]:port)");
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec)
    throw std::runtime_error("invalid bind address \"" + impl_->options.bind_address +
                             "\": " + ec.message());
  tcp::endpoint ep(address, port);
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->options.bind_address + ": " +
                             ec.message());
  impl_->accept();
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

HttpServer::~HttpServer() {
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

}  // namespace iu::server
