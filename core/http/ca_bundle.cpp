#include "http/ca_bundle.hpp"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace iu::http {
namespace {

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Counts the PEM certificates in `pem`; throws a message (without the field prefix) when a
// certificate block does not parse or when there is none.
size_t count_certificates(const std::string& pem) {
  ERR_clear_error();
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) throw std::runtime_error("out of memory");
  size_t n = 0;
  while (true) {
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    X509_free(cert);
    ++n;
  }
  unsigned long err = ERR_peek_last_error();
  BIO_free(bio);
  // Running out of input after at least one certificate is the normal end.
  bool clean_end = ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
  if (err != 0 && !(clean_end && n > 0)) {
    if (clean_end) {
      ERR_clear_error();
      throw std::runtime_error("no PEM certificate found");
    }
    throw std::runtime_error("invalid PEM certificate: " + openssl_error());
  }
  ERR_clear_error();
  if (n == 0) throw std::runtime_error("no PEM certificate found");
  return n;
}

std::string read_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::strerror(errno);
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) *error = "read error";
  return ss.str();
}

void check(std::string_view key, std::string_view field, const std::string& what,
           const std::string& pem) {
  try {
    count_certificates(pem);
  } catch (const std::exception& e) {
    throw std::invalid_argument("registry " + std::string(key) + ": " + std::string(field) + ": " +
                                what + e.what());
  }
}

}  // namespace

std::string system_ca_bundle_path() {
  CURL* h = curl_easy_init();
  if (h == nullptr) return {};
  char* path = nullptr;
  std::string out;
  if (curl_easy_getinfo(h, CURLINFO_CAINFO, &path) == CURLE_OK && path != nullptr) out = path;
  curl_easy_cleanup(h);
  return out;
}

std::shared_ptr<const std::string> build_ca_bundle(std::string_view key, const std::string& ca_file,
                                                   const std::string& ca_data,
                                                   const std::string& system_bundle_path) {
  if (ca_file.empty() && ca_data.empty()) return nullptr;
  auto bundle = std::make_shared<std::string>();
  if (!system_bundle_path.empty()) {
    std::string ignored;
    *bundle = read_file(system_bundle_path, &ignored);
    if (!bundle->empty() && bundle->back() != '\n') *bundle += '\n';
  }
  if (!ca_file.empty()) {
    std::string error;
    std::string pem = read_file(ca_file, &error);
    if (!error.empty())
      throw std::invalid_argument("registry " + std::string(key) + ": ca_file: cannot read \"" +
                                  ca_file + "\": " + error);
    check(key, "ca_file", "\"" + ca_file + "\": ", pem);
    *bundle += pem;
    if (bundle->back() != '\n') *bundle += '\n';
  }
  if (!ca_data.empty()) {
    check(key, "ca_data", "", ca_data);
    *bundle += ca_data;
    if (bundle->back() != '\n') *bundle += '\n';
  }
  return bundle;
}

}  // namespace iu::http
