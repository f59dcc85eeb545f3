// The Beast server over TLS (SPEC §12.1): self-signed and on-disk certificates, TLS versions
// and cipher lists, certificate file errors, and clients that cannot or will not handshake.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/http_server.hpp"
#include "temp_dir.hpp"

namespace iu::server {
namespace {

namespace fs = std::filesystem;
using iu::test::TempDir;

// A fresh directory under /tmp, removed with the object.
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void run_openssl(const std::string& args) {
  std::string cmd = "openssl " + args + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// A self-signed certificate and key (RSA 2048, SAN IP:127.0.0.1) written by the openssl CLI.
void write_cert_pair(const TempDir& dir, const std::string& cn) {
  run_openssl("req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=" + cn +
              " -addext subjectAltName=IP:127.0.0.1 -keyout " + dir.file("tls.key") + " -out " +
              dir.file("tls.crt"));
}

// CURLOPT_SSLVERSION: at least `min`, at most `max` (curl's constants are distinct enums).
long tls_range(long min, long max) { return min | max; }

struct Client {
  std::string ca_pem;   // trusted certificate (PEM text); empty with ca_file: no verification
  std::string ca_file;  // trusted certificate file
  long ssl_version = CURL_SSLVERSION_DEFAULT;
  std::string ciphers;  // client cipher list (TLS <= 1.2), OpenSSL names
  std::string scheme = "https";
  std::string post_body;
  bool post = false;
};

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::string error;
  long new_connections = 0;
};

// One request; pass `handle` to reuse a connection (keep-alive).
Reply fetch(uint16_t port, const std::string& path, const Client& c, CURL* handle = nullptr) {
  Reply r;
  CURL* h = handle ? handle : curl_easy_init();
  std::string url = c.scheme + "://127.0.0.1:" + std::to_string(port) + path;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_SSLVERSION, c.ssl_version);
  if (!c.ciphers.empty()) curl_easy_setopt(h, CURLOPT_SSL_CIPHER_LIST, c.ciphers.c_str());
  curl_blob blob{const_cast<char*>(c.ca_pem.data()), c.ca_pem.size(), CURL_BLOB_COPY};
  if (!c.ca_pem.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
  } else if (!c.ca_file.empty()) {
    curl_easy_setopt(h, CURLOPT_CAINFO, c.ca_file.c_str());
  } else {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (c.post) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, c.post_body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(c.post_body.size()));
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(
      h, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* u) {
        static_cast<std::string*>(u)->append(p, s * n);
        return s * n;
      });
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
  r.code = curl_easy_perform(h);
  r.error = error;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r.new_connections);
  if (!handle) curl_easy_cleanup(h);
  return r;
}

std::map<std::string, Handler> routes() {
  return {
      {"/healthz",
       [](const Request&) {
         return Response{200, "text/plain", "OK", {}};
       }},
      {"/echo", [](const Request& r) {
         return Response{201, "text/plain", r.method + " " + r.query.at("q") + " " + r.body, {}};
       }}};
}

ServerOptions tls_options(const std::string& cert_dir, TlsOptions tls = {}) {
  ServerOptions o{"127.0.0.1:0", 64};
  tls.cert_dir = cert_dir;
  o.tls = tls;
  return o;
}

// The message of the TlsSetupError thrown by constructing a server with `o`.
std::string setup_error(const ServerOptions& o) {
  try {
    HttpServer s(o, routes());
  } catch (const TlsSetupError& e) {
    return e.what();
  }
  ADD_FAILURE() << "the server started";
  return {};
}

TEST(HttpsServer, SelfSignedCertificateServesTheHandlers) {
  TempDir empty;
  HttpServer s(tls_options(empty.path().string()), routes());
  const std::string pem = s.certificate_pem();
  ASSERT_NE(pem.find("-----BEGIN CERTIFICATE-----"), std::string::npos);

  // The certificate: localhost, 127.0.0.1 and ::1, one year, EC P-256, no key in the PEM.
  EXPECT_EQ(pem.find("PRIVATE KEY"), std::string::npos);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "::1", 0), 1);
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)),
            1);
  EXPECT_EQ(days, 365);
  EXPECT_EQ(X509_cmp_current_time(X509_get0_notBefore(cert)), -1);
  EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(cert), "EC"));
  X509_free(cert);

  // Verified against the served PEM, on one kept-alive connection.
  Client trusted;
  trusted.ca_pem = pem;
  CURL* h = curl_easy_init();
  auto ok = fetch(s.port(), "/healthz", trusted, h);
  EXPECT_EQ(ok.code, CURLE_OK) << ok.error;
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "OK");
  Client post = trusted;
  post.post = true;
  post.post_body = "payload";
  auto echo = fetch(s.port(), "/echo?q=a%20b", post, h);
  EXPECT_EQ(echo.code, CURLE_OK) << echo.error;
  EXPECT_EQ(echo.status, 201);
  EXPECT_EQ(echo.body, "POST a b payload");
  EXPECT_EQ(echo.new_connections, 0) << "keep-alive over TLS";
  curl_easy_cleanup(h);

  EXPECT_EQ(fetch(s.port(), "/nowhere", trusted).status, 404);
  post.post_body = std::string(100, 'x');
  EXPECT_EQ(fetch(s.port(), "/echo?q=x", post).status, 413);
  EXPECT_EQ(fetch(s.port(), "/healthz", Client{}).status, 200) << "after a 413, unverified";
}

TEST(HttpsServer, Tls13OnlyRefusesATls12Client) {
  TempDir empty;
  HttpServer s(tls_options(empty.path().string()), routes());  // defaults: 1.3 .. 1.3
  Client tls12;
  tls12.ssl_version = tls_range(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2);
  auto refused = fetch(s.port(), "/healthz", tls12);
  EXPECT_EQ(refused.code, CURLE_SSL_CONNECT_ERROR) << refused.error;
  Client tls13;
  tls13.ssl_version = tls_range(CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3);
  EXPECT_EQ(fetch(s.port(), "/healthz", tls13).status, 200);
}

TEST(HttpsServer, Tls12WithACipherListInGoOrOpenSslNames) {
  TempDir empty;
  TlsOptions tls;
  tls.min_version = "1.2";
  tls.max_version = "1.2";
  // IANA (Go) name, a TLS 1.3 suite (skipped) and an OpenSSL name; ECDSA suits the EC key.
  tls.ciphers =
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:TLS_AES_128_GCM_SHA256:"
      "ECDHE-ECDSA-CHACHA20-POLY1305";
  HttpServer s(tls_options(empty.path().string(), tls), routes());
  Client c;
  c.ssl_version = tls_range(CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2);
  c.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
  auto r = fetch(s.port(), "/healthz", c);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  c.ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305";
  EXPECT_EQ(fetch(s.port(), "/healthz", c).status, 200);
  c.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384";
  EXPECT_EQ(fetch(s.port(), "/healthz", c).code, CURLE_SSL_CONNECT_ERROR)
      << "a cipher outside the list";
  Client tls13;
  tls13.ssl_version = CURL_SSLVERSION_TLSv1_3;
  EXPECT_EQ(fetch(s.port(), "/healthz", tls13).code, CURLE_SSL_CONNECT_ERROR) << "max is 1.2";
}

TEST(HttpsServer, Tls11IsServedWhenAllowed) {
  TempDir empty;
  TlsOptions tls;
  tls.min_version = "1.1";
  tls.max_version = "1.2";
  HttpServer s(tls_options(empty.path().string(), tls), routes());
  Client c;
  c.ssl_version = tls_range(CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1);
  c.ciphers = "DEFAULT:@SECLEVEL=0";  // the client's OpenSSL refuses 1.1 too otherwise
  auto r = fetch(s.port(), "/healthz", c);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.status, 200);
  Client tls13;
  tls13.ssl_version = CURL_SSLVERSION_TLSv1_3;
  EXPECT_EQ(fetch(s.port(), "/healthz", tls13).code, CURLE_SSL_CONNECT_ERROR) << "max is 1.2";
}

TEST(HttpsServer, BadTlsSettingsAreErrors) {
  TempDir empty;
  TlsOptions tls;
  tls.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:TLS_NO_SUCH_CIPHER";
  EXPECT_NE(setup_error(tls_options(empty.path().string(), tls)).find("TLS_NO_SUCH_CIPHER"),
            std::string::npos);
  tls = {};
  tls.min_version = "1.3";
  tls.max_version = "1.2";
  EXPECT_EQ(setup_error(tls_options(empty.path().string(), tls)),
            "TLS minimum version 1.3 is above the maximum version 1.2");
  tls = {};
  tls.max_version = "1.4";
  EXPECT_EQ(setup_error(tls_options(empty.path().string(), tls)),
            "TLS maximum version \"1.4\": expected 1.1, 1.2 or 1.3");
}

TEST(HttpsServer, CertificateFilesFromDiskAreServed) {
  TempDir dir;
  write_cert_pair(dir, "from-disk");
  HttpServer s(tls_options(dir.path().string()), routes());
  EXPECT_EQ(s.certificate_pem(), read_file(dir.file("tls.crt")));
  Client c;
  c.ca_file = dir.file("tls.crt");  // verification succeeds only with the file's certificate
  auto r = fetch(s.port(), "/healthz", c);
  EXPECT_EQ(r.code, CURLE_OK) << r.error;
  EXPECT_EQ(r.body, "OK");
}

TEST(HttpsServer, CertificateFileErrorsNameTheFile) {
  TempDir dir;
  write_cert_pair(dir, "pair");
  const std::string crt = dir.file("tls.crt"), key = dir.file("tls.key");

  fs::rename(key, dir.file("saved.key"));
  std::string e = setup_error(tls_options(dir.path().string()));
  EXPECT_NE(e.find("TLS private key " + key + " is missing"), std::string::npos) << e;

  fs::rename(crt, dir.file("saved.crt"));
  fs::rename(dir.file("saved.key"), key);
  e = setup_error(tls_options(dir.path().string()));
  EXPECT_NE(e.find("TLS certificate " + crt + " is missing"), std::string::npos) << e;

  std::ofstream(crt) << "not a certificate\n";
  e = setup_error(tls_options(dir.path().string()));
  EXPECT_NE(e.find("TLS certificate " + crt + " is not a usable PEM certificate"),
            std::string::npos)
      << e;

  fs::rename(dir.file("saved.crt"), crt);
  run_openssl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + key);
  e = setup_error(tls_options(dir.path().string()));
  EXPECT_EQ(e, "TLS private key " + key + " does not match certificate " + crt);

  run_openssl("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass pass:pw -out " +
              key);
  e = setup_error(tls_options(dir.path().string()));
  EXPECT_NE(e.find("TLS private key " + key + " is not a usable unencrypted PEM private key"),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find("BEGIN"), std::string::npos) << "no key material in messages";

  if (geteuid() != 0) {  // root reads anything
    fs::permissions(key, fs::perms::none);
    e = setup_error(tls_options(dir.path().string()));
    EXPECT_NE(e.find("cannot read TLS private key " + key), std::string::npos) << e;
  }
}

// A raw TCP connection to 127.0.0.1:port (-1 on failure).
int connect_raw(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// True when the server closes `fd` (EOF or reset) within `ms`; bytes before that (a TLS
// alert) are skipped.
bool closed_within(int fd, int ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[512];
    if (recv(fd, buf, sizeof buf, 0) <= 0) return true;
  }
}

TEST(HttpsServer, PlainHttpAndStalledClientsDoNotAffectOthers) {
  TempDir empty;
  ServerOptions o = tls_options(empty.path().string());
  o.handshake_timeout = std::chrono::milliseconds(500);
  HttpServer s(o, routes());
  Client good;
  good.ca_pem = s.certificate_pem();

  // Plain HTTP on the TLS port: Go's plain-text 400, then the port still serves TLS.
  Client plain;
  plain.scheme = "http";
  auto p = fetch(s.port(), "/healthz", plain);
  EXPECT_EQ(p.status, 400);
  EXPECT_EQ(p.body, "Client sent an HTTP request to an HTTPS server.\n");
  EXPECT_EQ(fetch(s.port(), "/healthz", good).status, 200);

  // A client stuck inside its ClientHello and one sending a broken record do not hold up others.
  int stalled = connect_raw(s.port());
  ASSERT_GE(stalled, 0);
  const unsigned char partial_hello[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00};
  ASSERT_EQ(send(stalled, partial_hello, sizeof partial_hello, 0),
            static_cast<ssize_t>(sizeof partial_hello));
  int broken = connect_raw(s.port());
  ASSERT_GE(broken, 0);
  const unsigned char bad_record[] = {0x16, 0x03, 0x01, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff};
  ASSERT_EQ(send(broken, bad_record, sizeof bad_record, 0),
            static_cast<ssize_t>(sizeof bad_record));
  auto during = fetch(s.port(), "/healthz", good);
  EXPECT_EQ(during.code, CURLE_OK) << during.error;
  EXPECT_EQ(during.status, 200);
  EXPECT_TRUE(closed_within(broken, 5000)) << "a failed handshake ends its connection";
  EXPECT_TRUE(closed_within(stalled, 5000)) << "the handshake timeout ends a stalled client";
  close(broken);
  close(stalled);
  EXPECT_EQ(fetch(s.port(), "/healthz", good).status, 200);
}

TEST(HttpsServer, PlainServerHasNoCertificate) {
  HttpServer s({"127.0.0.1:0", 64}, routes());
  EXPECT_TRUE(s.certificate_pem().empty());
  Client plain;
  plain.scheme = "http";
  EXPECT_EQ(fetch(s.port(), "/healthz", plain).status, 200);
}

}  // namespace
}  // namespace iu::server
