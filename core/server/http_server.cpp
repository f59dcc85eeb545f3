#include "server/http_server.hpp"

#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
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

// ---- HTTP/2 limits (ServerOptions::http2) -------------------------------------------------

constexpr uint32_t kH2MaxConcurrentStreams = 100;           // SETTINGS_MAX_CONCURRENT_STREAMS
constexpr size_t kH2MaxHeaderListSize = 16 << 10;           // per stream, RFC 9113 §6.5.2 sizes
constexpr int kH2MaxStreamsPerConnection = 1000;            // then a graceful GOAWAY
constexpr int kH2MaxClientResets = 100;                     // then GOAWAY ENHANCE_YOUR_CALM
constexpr uint64_t kH2MinBufferedBodies = 8 << 20;          // at least, per connection
constexpr auto kH2IdleTimeout = std::chrono::seconds(30);   // no input: GOAWAY, close
constexpr auto kH2WriteTimeout = std::chrono::seconds(30);  // per write
constexpr size_t kH2WriteBatch = 64 << 10;                  // bytes gathered per write

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
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

// RFC 9113 §9.2: HTTP/2 over TLS 1.2 needs an ephemeral key exchange and an AEAD cipher
// (clients answer the others, Appendix A's list, with INADEQUATE_SECURITY). Called from the ALPN
// callback, after OpenSSL chose the version and (TLS 1.2) the cipher.
bool h2_permitted(SSL* ssl) {
  const int version = SSL_version(ssl);
  if (version >= TLS1_3_VERSION) return true;
  if (version != TLS1_2_VERSION) return false;
  const SSL_CIPHER* c = SSL_get_pending_cipher(ssl);
  if (!c) return false;
  const int kx = SSL_CIPHER_get_kx_nid(c);
  return SSL_CIPHER_is_aead(c) == 1 && (kx == NID_kx_ecdhe || kx == NID_kx_dhe);
}

// ALPN with the server's preference, as Go's: "h2" when HTTP/2 is on (`arg` non-null), the
// client offers it and the connection qualifies; else "http/1.1" when offered; otherwise no
// ALPN (the client then speaks HTTP/1.1 too).
int select_alpn(SSL* ssl, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void* arg) {
  const unsigned char* h2 = nullptr;
  const unsigned char* http11 = nullptr;
  for (unsigned int i = 0; i < inlen;) {
    const unsigned int n = in[i];
    if (i + 1 + n > inlen) break;
    const unsigned char* name = in + i + 1;
    if (n == 2 && std::memcmp(name, "h2", 2) == 0) h2 = name;
    if (n == 8 && std::memcmp(name, "http/1.1", 8) == 0) http11 = name;
    i += 1 + n;
  }
  if (h2 && arg && h2_permitted(ssl)) {
    *out = h2;
    *outlen = 2;
    return SSL_TLSEXT_ERR_OK;
  }
  if (http11) {
    *out = http11;
    *outlen = 8;
    return SSL_TLSEXT_ERR_OK;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

bool alpn_is_h2(SSL* ssl) {
  const unsigned char* name = nullptr;
  unsigned int n = 0;
  SSL_get0_alpn_selected(ssl, &name, &n);
  return n == 2 && std::memcmp(name, "h2", 2) == 0;
}

// Builds the server context of TlsOptions' contract; `pem` receives the leaf certificate.
// `http2`: ALPN offers "h2" too.
std::unique_ptr<ssl::context> make_tls_context(const TlsOptions& o, bool http2, std::string* pem) {
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
  static int h2_on = 1;
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, http2 ? &h2_on : nullptr);
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
  struct H2Session;
  std::vector<std::weak_ptr<H2Session>> h2_sessions;  // live HTTP/2 connections, for GOAWAY
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

  // One HTTP/2 connection (TLS, ALPN "h2"), driven by an nghttp2 server session: bytes read go
  // to nghttp2_session_mem_recv, whose callbacks collect each stream's request and answer it
  // from the routes; nghttp2_session_mem_send's output is written one batch at a time, while
  // the next read is pending. Everything runs on the server's thread.
  struct H2Session : std::enable_shared_from_this<H2Session> {
    using Stream = beast::ssl_stream<beast::tcp_stream>;

    // One request stream (nghttp2's stream user data points here).
    struct RequestStream {
      Request request;
      std::string authority;
      size_t header_bytes = 0;
      bool headers_too_large = false;
      bool body_too_large = false;        // content-length over the limit
      uint64_t received = 0;              // request body bytes
      bool answered = false;              // a response (or RST_STREAM) was submitted
      bool reset_after_response = false;  // answered before the request ended
      std::string status;                 // response
      std::string body;
      size_t sent = 0;
    };

    H2Session(Impl* s, Stream st, beast::flat_buffer buf)
        : server(s), stream(std::move(st)), pending_input(std::move(buf)), idle(s->io) {}
    ~H2Session() {
      notify_goaway_sent();
      if (session) nghttp2_session_del(session);
    }

    Impl* server;
    Stream stream;
    beast::flat_buffer pending_input;  // decrypted bytes already read by the handshake
    asio::steady_timer idle;           // no input for kH2IdleTimeout: GOAWAY
    nghttp2_session* session = nullptr;
    std::map<int32_t, std::unique_ptr<RequestStream>> streams;
    std::string remote;
    std::array<char, 16384> input;
    std::string output;  // the batch being written
    bool reading = false, writing = false;
    bool stop_reading = false;  // a fatal input error or our GOAWAY: no more input is needed
    bool closing = false;       // TLS shutdown started
    bool dead = false;          // the connection broke: nothing more is sent
    int opened = 0, client_resets = 0;
    uint64_t buffered = 0;                 // request body bytes held by open streams
    std::function<void()> on_goaway_sent;  // server shutdown: called once, when done

    beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }

    void start() {
      remote = remote_of(tcp());
      nghttp2_session_callbacks* cb = nullptr;
      if (nghttp2_session_callbacks_new(&cb) != 0) return;
      nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
      nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
      nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
      nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
      nghttp2_session_callbacks_set_on_frame_send_callback(cb, on_frame_send);
      nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
      nghttp2_session_callbacks_set_error_callback2(cb, on_error);
      const int rv = nghttp2_session_server_new(&session, cb, this);
      nghttp2_session_callbacks_del(cb);
      if (rv != 0) {
        session = nullptr;
        log::debug("HTTP/2 session setup failed",
                   {{"remote", remote}, {"error", nghttp2_strerror(rv)}});
        return;
      }
      const nghttp2_settings_entry settings[] = {
          {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kH2MaxConcurrentStreams},
          {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, static_cast<uint32_t>(kH2MaxHeaderListSize)}};
      nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
      auto& live = server->h2_sessions;
      live.erase(
          std::remove_if(live.begin(), live.end(), [](const auto& w) { return w.expired(); }),
          live.end());
      live.push_back(this->weak_from_this());
      log::debug("HTTP/2 connection", {{"remote", remote}});
      if (pending_input.size() > 0) {
        auto data = pending_input.data();
        if (!receive(static_cast<const uint8_t*>(data.data()), data.size())) stop_reading = true;
        pending_input.consume(pending_input.size());
      }
      flush();
      if (!stop_reading && !closing && !dead) read();
    }

    // Server shutdown: GOAWAY (NO_ERROR, the last stream processed), then the connection
    // closes; `on_sent` is called once that is done or the connection is gone.
    void shutdown(std::function<void()> on_sent) {
      on_goaway_sent = std::move(on_sent);
      if (closing || dead) return notify_goaway_sent();
      nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR);
      stop_reading = true;
      flush();
    }

    void notify_goaway_sent() {
      if (!on_goaway_sent) return;
      auto f = std::move(on_goaway_sent);
      on_goaway_sent = nullptr;
      f();
    }

    bool receive(const uint8_t* data, size_t n) {
      const ssize_t rv = nghttp2_session_mem_recv(session, data, n);
      if (rv >= 0) return true;
      const int code = static_cast<int>(rv);
      log::debug("HTTP/2 connection error",
                 {{"remote", remote}, {"error", nghttp2_strerror(code)}});
      nghttp2_session_terminate_session(session, code == NGHTTP2_ERR_FLOODED
                                                     ? NGHTTP2_ENHANCE_YOUR_CALM
                                                     : NGHTTP2_PROTOCOL_ERROR);
      return false;
    }

    void read() {
      reading = true;
      idle.expires_after(kH2IdleTimeout);
      idle.async_wait([weak = this->weak_from_this()](beast::error_code ec) {
        if (ec) return;
        if (auto self = weak.lock()) self->on_idle();
      });
      tcp().expires_never();
      stream.async_read_some(asio::buffer(input),
                             [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                               self->on_read(ec, n);
                             });
    }

    void on_read(beast::error_code ec, size_t n) {
      reading = false;
      if (closing) return shutdown_tls();
      if (dead) return;
      if (ec) {
        if (ec != asio::error::eof && ec != ssl::error::stream_truncated)
          log::debug("HTTP/2 connection ended", {{"remote", remote}, {"error", ec.message()}});
        return drop();
      }
      if (stop_reading) return;  // after our GOAWAY (idle, shutdown): input is not wanted
      if (!receive(reinterpret_cast<const uint8_t*>(input.data()), n)) stop_reading = true;
      flush();
      if (!stop_reading && !closing && !dead && nghttp2_session_want_read(session)) read();
    }

    void on_idle() {
      if (closing || dead || stop_reading) return;
      log::debug("HTTP/2 connection idle; closing", {{"remote", remote}});
      nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR);
      stop_reading = true;
      flush();
    }

    // Writes what nghttp2 has to send; when nothing is left and neither side needs the
    // connection any more, closes it.
    void flush() {
      if (writing || closing || dead) return;
      output.clear();
      for (;;) {
        const uint8_t* data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(session, &data);
        if (n < 0) {
          log::debug("HTTP/2 send failed",
                     {{"remote", remote}, {"error", nghttp2_strerror(static_cast<int>(n))}});
          return drop();
        }
        if (n == 0) break;
        output.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
        if (output.size() >= kH2WriteBatch) break;
      }
      if (output.empty()) {
        if ((stop_reading || !nghttp2_session_want_read(session)) &&
            !nghttp2_session_want_write(session))
          close();
        return;
      }
      writing = true;
      tcp().expires_after(kH2WriteTimeout);
      asio::async_write(stream, asio::buffer(output),
                        [self = this->shared_from_this()](beast::error_code ec, size_t) {
                          self->writing = false;
                          if (self->dead) return;
                          if (ec) {
                            log::debug("HTTP/2 write failed",
                                       {{"remote", self->remote}, {"error", ec.message()}});
                            return self->drop();
                          }
                          self->tcp().expires_never();
                          self->flush();
                        });
    }

    // The connection broke: stop everything at once.
    void drop() {
      dead = true;
      idle.cancel();
      notify_goaway_sent();
      beast::error_code ignored;
      tcp().socket().close(ignored);
    }

    // Done (GOAWAY sent or received, no open streams): TLS close_notify, bounded in time, once
    // a pending read is cancelled.
    void close() {
      if (closing || dead) return;
      closing = true;
      idle.cancel();
      notify_goaway_sent();
      if (reading) return tcp().cancel();  // on_read continues
      shutdown_tls();
    }

    void shutdown_tls() {
      tcp().expires_after(server->options.handshake_timeout);
      stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    }

    // ---- request streams ----

    RequestStream* stream_of(int32_t id) {
      return static_cast<RequestStream*>(nghttp2_session_get_stream_user_data(session, id));
    }

    uint64_t buffered_cap() const {
      const uint64_t limit = server->options.body_limit;
      return std::max(kH2MinBufferedBodies, limit > UINT64_MAX / 8 ? UINT64_MAX : 8 * limit);
    }

    void release_body(RequestStream& rs) {
      buffered -= rs.request.body.size();
      rs.request.body = std::string();
    }

    // The request ended: dispatched to its route, answered.
    void complete(int32_t id, RequestStream& rs) {
      if (rs.answered) return;
      if (rs.body_too_large) return reject(id, rs, 413, "request body too large\n");
      buffered -= rs.request.body.size();
      Request req = std::move(rs.request);
      rs.request = Request();
      split_target(req.target, req);
      if (!rs.authority.empty() && !req.headers.count("host")) req.headers["host"] = rs.authority;
      const bool head = req.method == "HEAD";
      respond(id, rs, server->dispatch(req), head);
    }

    // An error response before the request ended (413, 431); the rest of the request is not
    // wanted: RST_STREAM NO_ERROR once the response is out (RFC 9113 §8.1).
    void reject(int32_t id, RequestStream& rs, int status, const char* text) {
      release_body(rs);
      rs.reset_after_response = true;
      respond(id, rs, Response{status, "text/plain; charset=utf-8", text, {}}, false);
    }

    void respond(int32_t id, RequestStream& rs, Response out, bool head) {
      rs.answered = true;
      rs.status = std::to_string(out.status);
      rs.body = std::move(out.body);
      std::vector<std::pair<std::string, std::string>> fields{{"content-type", out.content_type}};
      for (auto& [k, v] : out.headers) {
        std::string name = lower(k);
        // Connection-specific fields are not allowed (RFC 9113 §8.2.2); the length is ours.
        if (name == "connection" || name == "keep-alive" || name == "proxy-connection" ||
            name == "transfer-encoding" || name == "upgrade" || name == "content-length")
          continue;
        auto it = std::find_if(fields.begin(), fields.end(),
                               [&](const auto& f) { return f.first == name; });
        if (it != fields.end())
          it->second = v;
        else
          fields.emplace_back(std::move(name), v);
      }
      fields.emplace_back("content-length", std::to_string(rs.body.size()));
      auto nv = [](const std::string& name, const std::string& value) {
        return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                          value.size(), NGHTTP2_NV_FLAG_NONE};
      };
      const std::string status_name = ":status";
      std::vector<nghttp2_nv> headers{nv(status_name, rs.status)};
      for (const auto& [k, v] : fields) headers.push_back(nv(k, v));
      nghttp2_data_provider body{};
      body.source.ptr = &rs;
      body.read_callback = read_body;
      const int rv = nghttp2_submit_response(session, id, headers.data(), headers.size(),
                                             head ? nullptr : &body);
      if (rv != 0) {
        log::debug("HTTP/2 response failed", {{"remote", remote}, {"error", nghttp2_strerror(rv)}});
        nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_INTERNAL_ERROR);
      }
    }

    // ---- nghttp2 callbacks (user_data: the H2Session) ----

    static H2Session* self_of(void* user_data) { return static_cast<H2Session*>(user_data); }

    static int on_begin_headers(nghttp2_session* s, const nghttp2_frame* f, void* ud) {
      if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
      H2Session* self = self_of(ud);
      // Past the cap, this stream is the last one: a graceful GOAWAY, the client reconnects.
      if (++self->opened == kH2MaxStreamsPerConnection)
        nghttp2_submit_goaway(s, NGHTTP2_FLAG_NONE, f->hd.stream_id, NGHTTP2_NO_ERROR, nullptr, 0);
      auto rs = std::make_unique<RequestStream>();
      rs->request.remote = self->remote;
      nghttp2_session_set_stream_user_data(s, f->hd.stream_id, rs.get());
      self->streams[f->hd.stream_id] = std::move(rs);
      return 0;
    }

    static int on_header(nghttp2_session*, const nghttp2_frame* f, const uint8_t* name,
                         size_t namelen, const uint8_t* value, size_t valuelen, uint8_t, void* ud) {
      if (f->hd.type != NGHTTP2_HEADERS || f->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
      RequestStream* rs = self_of(ud)->stream_of(f->hd.stream_id);
      if (!rs || rs->headers_too_large) return 0;
      rs->header_bytes += namelen + valuelen + 32;
      if (rs->header_bytes > kH2MaxHeaderListSize) {
        rs->headers_too_large = true;  // answered 431 once the header block ends
        rs->request.headers.clear();
        return 0;
      }
      std::string n(reinterpret_cast<const char*>(name), namelen);
      std::string v(reinterpret_cast<const char*>(value), valuelen);
      Request& r = rs->request;
      if (n == ":method") {
        r.method = std::move(v);
      } else if (n == ":path") {
        r.target = std::move(v);
      } else if (n == ":authority") {
        rs->authority = std::move(v);
      } else if (!n.empty() && n.front() != ':') {
        // Lower-case already (nghttp2 refuses upper-case names). As over HTTP/1.1 the last
        // value wins, but split cookie fields are joined again (RFC 9113 §8.2.3).
        auto [it, fresh] = r.headers.try_emplace(n, v);
        if (!fresh) it->second = n == "cookie" ? it->second + "; " + v : v;
      }
      return 0;
    }

    static int on_data_chunk(nghttp2_session*, uint8_t, int32_t id, const uint8_t* data, size_t len,
                             void* ud) {
      H2Session* self = self_of(ud);
      RequestStream* rs = self->stream_of(id);
      if (!rs || rs->answered) return 0;
      rs->received += len;
      if (rs->received > self->server->options.body_limit) {
        self->reject(id, *rs, 413, "request body too large\n");
      } else if (rs->body_too_large) {
        // dropped: answered 413 at the end
      } else if (self->buffered + len > self->buffered_cap()) {
        // Too many large bodies at once on this connection: this one is not processed.
        log::debug("HTTP/2 request bodies over the connection's cap; stream refused",
                   {{"remote", self->remote}});
        self->release_body(*rs);
        rs->answered = true;
        nghttp2_submit_rst_stream(self->session, NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
      } else {
        rs->request.body.append(reinterpret_cast<const char*>(data), len);
        self->buffered += len;
      }
      return 0;
    }

    static int on_frame_recv(nghttp2_session* s, const nghttp2_frame* f, void* ud) {
      H2Session* self = self_of(ud);
      const int32_t id = f->hd.stream_id;
      switch (f->hd.type) {
        case NGHTTP2_HEADERS: {
          RequestStream* rs = self->stream_of(id);
          if (!rs) return 0;
          if (f->headers.cat == NGHTTP2_HCAT_REQUEST && !rs->answered) {
            uint64_t length = 0;
            auto cl = rs->request.headers.find("content-length");
            if (rs->headers_too_large) {
              self->reject(id, *rs, 431, "request header fields too large\n");
            } else if (cl != rs->request.headers.end() &&
                       std::from_chars(cl->second.data(), cl->second.data() + cl->second.size(),
                                       length)
                               .ec == std::errc() &&
                       length > self->server->options.body_limit) {
              // Not buffered; the 413 goes out once the body crosses the limit or ends. At
              // once, it would race the upload and need a RST_STREAM, which some clients
              // (curl 7.88) report as a failed transfer even after a complete response.
              rs->body_too_large = true;
            }
          }
          if (f->hd.flags & NGHTTP2_FLAG_END_STREAM) self->complete(id, *rs);
          break;
        }
        case NGHTTP2_DATA:
          if (f->hd.flags & NGHTTP2_FLAG_END_STREAM)
            if (RequestStream* rs = self->stream_of(id)) self->complete(id, *rs);
          break;
        case NGHTTP2_RST_STREAM:
          // Rapid-reset abuse (CVE-2023-44487): a client cancelling stream after stream.
          if (++self->client_resets == kH2MaxClientResets + 1) {
            log::debug("HTTP/2 client reset too many streams; closing", {{"remote", self->remote}});
            nghttp2_session_terminate_session(s, NGHTTP2_ENHANCE_YOUR_CALM);
            self->stop_reading = true;
          }
          break;
        default:
          break;
      }
      return 0;
    }

    static int on_frame_send(nghttp2_session* s, const nghttp2_frame* f, void* ud) {
      if ((f->hd.type != NGHTTP2_DATA && f->hd.type != NGHTTP2_HEADERS) ||
          !(f->hd.flags & NGHTTP2_FLAG_END_STREAM))
        return 0;
      RequestStream* rs = self_of(ud)->stream_of(f->hd.stream_id);
      if (rs && rs->reset_after_response &&
          nghttp2_session_get_stream_remote_close(s, f->hd.stream_id) == 0)
        nghttp2_submit_rst_stream(s, NGHTTP2_FLAG_NONE, f->hd.stream_id, NGHTTP2_NO_ERROR);
      return 0;
    }

    static int on_stream_close(nghttp2_session*, int32_t id, uint32_t, void* ud) {
      H2Session* self = self_of(ud);
      auto it = self->streams.find(id);
      if (it != self->streams.end()) {
        self->release_body(*it->second);
        self->streams.erase(it);
      }
      return 0;
    }

    static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buf, size_t length,
                             uint32_t* flags, nghttp2_data_source* source, void*) {
      auto* rs = static_cast<RequestStream*>(source->ptr);
      const size_t n = std::min(length, rs->body.size() - rs->sent);
      if (n > 0) std::memcpy(buf, rs->body.data() + rs->sent, n);
      rs->sent += n;
      if (rs->sent == rs->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
      return static_cast<ssize_t>(n);
    }

    static int on_error(nghttp2_session*, int, const char* msg, size_t len, void* ud) {
      log::debug("HTTP/2 protocol error",
                 {{"remote", self_of(ud)->remote}, {"error", std::string(msg, len)}});
      return 0;
    }
  };

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
                                   std::make_shared<H2Session>(self->server,
                                                               std::move(self->stream),
                                                               std::move(self->buffer))
                                       ->start();
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
    for (const auto& weak : impl_->h2_sessions) {
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
