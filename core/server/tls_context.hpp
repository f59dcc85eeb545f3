// The OpenSSL server context of an HttpServer, built from TlsOptions: TLS versions, the cipher
// list (IANA names translated to OpenSSL's), the certificate (tls.crt and tls.key, or a
// self-signed one generated in memory), and ALPN ("h2" only where RFC 9113 permits it).
// Internal to core/server.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "server/http_server.hpp"

namespace iu::server {

// Builds the server context of TlsOptions' contract (throws TlsSetupError); `pem` receives the
// leaf certificate. `http2`: ALPN offers "h2" too.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const TlsOptions& o, bool http2,
                                                            std::string* pem);

// After the handshake: true when ALPN chose "h2" (the connection speaks HTTP/2).
bool alpn_is_h2(SSL* ssl);

}  // namespace iu::server
