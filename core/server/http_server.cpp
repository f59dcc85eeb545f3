#include "server/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <future>
#include <thread>

#include "log/log.hpp"
#include "server/http1_connection.hpp"
#include "server/http2_connection.hpp"
#include "server/server_state.hpp"
#include "server/tls_context.hpp"

namespace iu::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

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

Response ServerState::dispatch(const Request& req) const {
  auto it = routes.find(req.path);
  if (it == routes.end()) return Response{404, "text/plain; charset=utf-8", "not found\n", {}};
  try {
    return it->second(req);
  } catch (const std::exception& e) {
    log::error("HTTP handler failed", {{"path", req.path}, {"error", e.what()}});
    return Response{500, "text/plain; charset=utf-8", "internal error\n", {}};
  }
}

std::string remote_of(beast::tcp_stream& s) {
  beast::error_code ec;
  auto ep = s.socket().remote_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

// The server's own I/O over the state its connections share. ServerState is a base, so it is
// destroyed after `io`: connections owned by io's pending handlers die before the TLS context,
// the routes and the options they use.
struct HttpServer::Impl : ServerState {
  std::string certificate_pem;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) accept();
        return;
      }
      serve_connection(*this, std::move(socket));
      accept();
    });
  }
};

HttpServer::HttpServer(ServerOptions options, std::map<std::string, Handler> routes)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->routes = std::move(routes);
  if (impl_->options.tls)
    impl_->tls =
        make_tls_context(*impl_->options.tls, impl_->options.http2, &impl_->certificate_pem);
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
  // Stop accepting; every HTTP/2 client gets a GOAWAY, waited for at most 2 s.
  struct Countdown {
    int pending = 1;
    std::promise<void> done;
    void down() {
      if (--pending == 0) done.set_value();
    }
  };
  auto countdown = std::make_shared<Countdown>();
  auto sent = countdown->done.get_future();
  asio::post(impl_->io, [this, countdown] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
    for (const auto& weak : impl_->http2_connections) {
      if (auto session = weak.lock()) {
        ++countdown->pending;
        session->shutdown([countdown] { countdown->down(); });
      }
    }
    countdown->down();
  });
  sent.wait_for(std::chrono::seconds(2));
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

const std::string& HttpServer::certificate_pem() const { return impl_->certificate_pem; }

}  // namespace iu::server
