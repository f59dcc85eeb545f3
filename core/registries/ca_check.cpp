// CA certificates named by registries.conf (`ca_file`, `ca_data`) are checked when the file is
// loaded, so a broken bundle is a configuration error at startup or reload instead of a TLS
// failure on every request later.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "registries/conf_entry.hpp"

namespace iu::registries::detail {
namespace {

// Larger than any sane bundle (Debian's full ca-certificates.crt is about 200 KiB).
constexpr std::streamoff kMaxCaFile = 16 * 1024 * 1024;

}  // namespace

std::string check_pem_certificates(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return "cannot read PEM data: out of memory";
  std::unique_ptr<STACK_OF(X509_INFO), void (*)(STACK_OF(X509_INFO)*)> infos(
      PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr),
      [](STACK_OF(X509_INFO) * s) { sk_X509_INFO_pop_free(s, X509_INFO_free); });
  std::string problem;
  if (!infos) {
    unsigned long code = ERR_peek_last_error();
    char buf[256] = "unknown error";
    if (code != 0) ERR_error_string_n(code, buf, sizeof buf);
    problem = std::string("invalid PEM data: ") + buf;
  } else {
    int certificates = 0;
    for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i)
      if (sk_X509_INFO_value(infos.get(), i)->x509 != nullptr) ++certificates;
    if (certificates == 0) problem = "no PEM certificate found";
  }
  ERR_clear_error();
  return problem;
}

std::string check_pem_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read \"" + path + "\": " + std::strerror(errno);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return "\"" + path + "\" is not a regular file";
  in.seekg(0, std::ios::end);
  if (in.tellg() > kMaxCaFile) return "\"" + path + "\" is larger than 16 MiB";
  in.seekg(0);
  std::ostringstream content;
  content << in.rdbuf();
  std::string problem = check_pem_certificates(content.str());
  return problem.empty() ? problem : "\"" + path + "\": " + problem;
}

}  // namespace iu::registries::detail
