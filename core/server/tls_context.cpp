#include "server/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "log/log.hpp"

namespace iu::server {
namespace {

namespace ssl = boost::asio::ssl;

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

}  // namespace

bool alpn_is_h2(SSL* ssl) {
  const unsigned char* name = nullptr;
  unsigned int n = 0;
  SSL_get0_alpn_selected(ssl, &name, &n);
  return n == 2 && std::memcmp(name, "h2", 2) == 0;
}

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

}  // namespace iu::server
