#include "server/http_server.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "log/log.hpp"

namespace iu::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
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

// ---- TLS context -------------------------------------------------------------------------

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct CtxFree {
  void operator()(SSL_CTX* p) const { SSL_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// Drains OpenSSL's error queue into "reason; reason" (reasons never carry key material).
std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(e);
    char buf[256];
    if (!reason) {
      ERR_error_string_n(e, buf, sizeof buf);
      reason = buf;
    }
    if (!out.empty()) out += "; ";
    out += reason;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

// Never prompts for a passphrase: encrypted keys fail to load instead of blocking on a tty.
int no_password(char*, int, int, void*) { return 0; }

int tls_version(const std::string& text, const char* which) {
  if (text == "1.1") return TLS1_1_VERSION;
  if (text == "1.2") return TLS1_2_VERSION;
  if (text == "1.3") return TLS1_3_VERSION;
  throw TlsSetupError(std::string("TLS ") + which + " version \"" + text +
                      "\": expected 1.1, 1.2 or 1.3");
}

std::string pem_of(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1)
    throw TlsSetupError("cannot encode the TLS certificate as PEM: " + openssl_errors());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// Translates a colon-separated cipher list to OpenSSL's syntax: IANA names (Go's spelling)
// become OpenSSL names, TLS 1.3 suite names are dropped (not configurable), anything else
// (OpenSSL names, keywords, !/-/+/@ rules) passes through. A plain name OpenSSL does not know
// is an error naming it, as Go's parser does; OpenSSL alone would skip it silently.
std::string openssl_cipher_list(const std::string& list) {
  std::unique_ptr<SSL_CTX, CtxFree> all(SSL_CTX_new(TLS_server_method()));
  if (!all) throw TlsSetupError("cannot create a TLS context: " + openssl_errors());
  SSL_CTX_set_security_level(all.get(), 0);
  SSL_CTX_set_cipher_list(all.get(), "ALL:COMPLEMENTOFALL");
  std::map<std::string, std::string> by_standard_name;
  std::map<std::string, bool> tls13;
  STACK_OF(SSL_CIPHER)* known = SSL_CTX_get_ciphers(all.get());
  for (int i = 0; i < sk_SSL_CIPHER_num(known); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(known, i);
    bool is13 = std::strcmp(SSL_CIPHER_get_version(c), "TLSv1.3") == 0;
    if (const char* std_name = SSL_CIPHER_standard_name(c)) {
      by_standard_name[std_name] = SSL_CIPHER_get_name(c);
      if (is13) tls13[std_name] = true;
    }
    if (is13) tls13[SSL_CIPHER_get_name(c)] = true;
  }
  std::string out;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t end = list.find(':', pos);
    if (end == std::string::npos) end = list.size();
    std::string token = list.substr(pos, end - pos);
    pos = end + 1;
    if (token.empty() || tls13.count(token)) continue;
    if (auto it = by_standard_name.find(token); it != by_standard_name.end()) token = it->second;
    if (std::string("!-+@").find(token.front()) == std::string::npos &&
        SSL_CTX_set_cipher_list(all.get(), token.c_str()) != 1) {
      ERR_clear_error();
      throw TlsSetupError("unknown cipher \"" + token + "\" in the TLS cipher list");
    }
    if (!out.empty()) out += ':';
    out += token;
  }
  return out;
}

// Generates the in-memory self-signed certificate of TlsOptions' contract.
void use_self_signed(SSL_CTX* ctx) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) throw TlsSetupError("cannot generate a TLS key: " + openssl_errors());
  X509Ptr cert(X509_new());
  unsigned char serial[16];
  bool ok = cert && RAND_bytes(serial, sizeof serial) == 1;
  if (ok) {
    serial[0] &= 0x7f;  // positive
    std::unique_ptr<BIGNUM, BnFree> bn(BN_bin2bn(serial, sizeof serial, nullptr));
    X509_NAME* name = X509_get_subject_name(cert.get());
    ok = bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) &&
         X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) &&
         X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600) &&
         X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                    reinterpret_cast<const unsigned char*>("argocd-image-updater"),
                                    -1, -1, 0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                    reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                                    0) == 1 &&
         X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key.get()) == 1;
  }
  if (ok) {
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
    const std::pair<int, const char*> extensions[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_ext_key_usage, "serverAuth"},
        {NID_subject_key_identifier, "hash"},
        {NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1"}};
    for (const auto& [nid, value] : extensions) {
      X509_EXTENSION* ext = X509V3_EXT_nconf_nid(nullptr, &v3, nid, value);
      ok = ext && X509_add_ext(cert.get(), ext, -1) == 1;
      X509_EXTENSION_free(ext);
      if (!ok) break;
    }
  }
  ok = ok && X509_sign(cert.get(), key.get(), EVP_sha256()) > 0 &&
       SSL_CTX_use_certificate(ctx, cert.get()) == 1 && SSL_CTX_use_PrivateKey(ctx, key.get()) == 1;
  if (!ok)
    throw TlsSetupError("cannot generate the self-signed TLS certificate: " + openssl_errors());
}

// Throws unless `path` can be opened for reading; the message names the file.
void check_readable(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw TlsSetupError(std::string("cannot read ") + what + " " + path + ": " +
                        std::strerror(errno));
}

void use_files(SSL_CTX* ctx, const std::string& cert_file, const std::string& key_file) {
  check_readable(cert_file, "TLS certificate");
  check_readable(key_file, "TLS private key");
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1)
    throw TlsSetupError("TLS certificate " + cert_file +
                        " is not a usable PEM certificate: " + openssl_errors());
  BioPtr bio(BIO_new_file(key_file.c_str(), "r"));
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr) : nullptr);
  if (!key)
    throw TlsSetupError("TLS private key " + key_file +
                        " is not a usable unencrypted PEM private key: " + openssl_errors());
  if (X509_check_private_key(SSL_CTX_get0_certificate(ctx), key.get()) != 1) {
    ERR_clear_error();
    throw TlsSetupError("TLS private key " + key_file + " does not match certificate " + cert_file);
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1)
    throw TlsSetupError("TLS private key " + key_file + ": " + openssl_errors());
}

// True when `path` exists; errors other than "not there" (e.g. no permission on the
// directory) throw, naming the file.
bool present(const std::string& path) {
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
    throw TlsSetupError("cannot access " + path + ": " + ec.message());
  return exists;
}

// Builds the server context of TlsOptions' contract; `pem` receives the leaf certificate.
std::unique_ptr<ssl::context> make_tls_context(const TlsOptions& o, std::string* pem) {
  const int min = tls_version(o.min_version, "minimum");
  const int max = tls_version(o.max_version, "maximum");
  if (min > max)
    throw TlsSetupError("TLS minimum version " + o.min_version + " is above the maximum version " +
                        o.max_version);
  ERR_clear_error();
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_default_passwd_cb(ctx, no_password);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
  if (min == TLS1_1_VERSION) {
    // OpenSSL 3 refuses TLS 1.1 at security level 1 and above; the operator asked for it.
    SSL_CTX_set_security_level(ctx, 0);
    log::warn("TLS 1.1 allowed: OpenSSL security level lowered to 0 for this server");
  }
  if (SSL_CTX_set_min_proto_version(ctx, min) != 1 || SSL_CTX_set_max_proto_version(ctx, max) != 1)
    throw TlsSetupError("cannot set the TLS versions: " + openssl_errors());
  if (!o.ciphers.empty()) {
    std::string list = openssl_cipher_list(o.ciphers);
    if (!list.empty() && SSL_CTX_set_cipher_list(ctx, list.c_str()) != 1)
      throw TlsSetupError("TLS cipher list \"" + o.ciphers +
                          "\" has no usable cipher: " + openssl_errors());
  }
  // ALPN: HTTP/1.1 when the client offers it (HTTP/2 is not served); otherwise no ALPN.
  SSL_CTX_set_alpn_select_cb(
      ctx,
      [](SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
         unsigned int inlen, void*) -> int {
        for (unsigned int i = 0; i < inlen;) {
          unsigned int n = in[i];
          if (i + 1 + n > inlen) break;
          if (n == 8 && std::memcmp(in + i + 1, "http/1.1", 8) == 0) {
            *out = in + i + 1;
            *outlen = 8;
            return SSL_TLSEXT_ERR_OK;
          }
          i += 1 + n;
        }
        return SSL_TLSEXT_ERR_NOACK;
      },
      nullptr);
  const std::string cert_file = (std::filesystem::path(o.cert_dir) / "tls.crt").string();
  const std::string key_file = (std::filesystem::path(o.cert_dir) / "tls.key").string();
  const bool have_cert = present(cert_file);
  const bool have_key = present(key_file);
  if (have_cert && !have_key)
    throw TlsSetupError("TLS private key " + key_file + " is missing (certificate " + cert_file +
                        " is present)");
  if (have_key && !have_cert)
    throw TlsSetupError("TLS certificate " + cert_file + " is missing (private key " + key_file +
                        " is present)");
  if (have_cert) {
    use_files(ctx, cert_file, key_file);
    log::info("TLS certificate loaded", {{"certificate", cert_file}, {"key", key_file}});
  } else {
    use_self_signed(ctx);
    log::info("no TLS certificate found; serving a self-signed in-memory certificate",
              {{"dir", o.cert_dir}});
  }
  *pem = pem_of(SSL_CTX_get0_certificate(ctx));
  return context;
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
  // Declared before `io`: sessions owned by io's pending handlers die before the context.
  std::unique_ptr<ssl::context> tls;
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
      if (tls)
        std::make_shared<Detector>(this, std::move(socket))->run();
      else
        std::make_shared<Session<beast::tcp_stream>>(this, beast::flat_buffer(), std::move(socket))
            ->read();
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

  static std::string remote_of(beast::tcp_stream& s) {
    beast::error_code ec;
    auto ep = s.socket().remote_endpoint(ec);
    return ec ? std::string() : ep.address().to_string();
  }

  static void log_handshake_failure(beast::tcp_stream& s, const std::string& error) {
    log::debug("TLS handshake failed", {{"remote", remote_of(s)}, {"error", error}});
  }

  // One connection, plain (Stream = beast::tcp_stream) or TLS (beast::ssl_stream over it):
  // [handshake,] then requests until the client or an error ends it.
  template <class Stream>
  struct Session : std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

    // `buf` holds bytes already read from the connection (the TLS detector's).
    template <class... Args>
    Session(Impl* s, beast::flat_buffer buf, Args&&... args)
        : server(s), stream(std::forward<Args>(args)...), buffer(std::move(buf)) {}
    Impl* server;
    Stream stream;
    beast::flat_buffer buffer;
    std::optional<http::request_parser<http::string_body>> parser;
    http::response<http::string_body> response;

    beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

    // TLS only: the server side of the handshake, over the bytes already in `buffer`.
    void handshake(std::chrono::steady_clock::time_point deadline) {
      tcp().expires_at(deadline);
      stream.async_handshake(ssl::stream_base::server, buffer.data(),
                             [self = this->shared_from_this()](beast::error_code ec, size_t used) {
                               if (ec) return log_handshake_failure(self->tcp(), ec.message());
                               self->buffer.consume(used);
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
      http::async_write(
          stream, response,
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
    Detector(Impl* s, tcp::socket sock) : server(s), stream(std::move(sock)) {}
    Impl* server;
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
};

HttpServer::HttpServer(ServerOptions options, std::map<std::string, Handler> routes)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->routes = std::move(routes);
  if (impl_->options.tls)
    impl_->tls = make_tls_context(*impl_->options.tls, &impl_->certificate_pem);
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

const std::string& HttpServer::certificate_pem() const { return impl_->certificate_pem; }

}  // namespace iu::server
