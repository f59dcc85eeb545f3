#include "iu/dockerv2/digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace iu::dockerv2 {
namespace {

const EVP_MD* algorithm_md(std::string_view algorithm) {
  if (algorithm == "sha256") return EVP_sha256();
  if (algorithm == "sha512") return EVP_sha512();
  return nullptr;
}

size_t hex_length(std::string_view algorithm) {
  if (algorithm == "sha256") return 64;
  if (algorithm == "sha512") return 128;
  return 0;
}

}  // namespace

std::optional<Digest> parse_digest(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view algorithm = text.substr(0, colon);
  std::string_view encoded = text.substr(colon + 1);
  size_t want = hex_length(algorithm);
  if (want == 0 || encoded.size() != want) return std::nullopt;
  for (char c : encoded)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  return Digest{std::string(algorithm), std::string(encoded)};
}

Digest compute_digest(std::string_view algorithm, std::string_view content) {
  const EVP_MD* md = algorithm_md(algorithm);
  if (md == nullptr)
    throw std::invalid_argument("unsupported digest algorithm \"" + std::string(algorithm) + "\"");
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(content.data(), content.size(), out, &len, md, nullptr) != 1)
    throw std::runtime_error("OpenSSL could not compute a " + std::string(algorithm) + " digest");
  static constexpr char hex[] = "0123456789abcdef";
  std::string encoded;
  encoded.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    encoded += hex[out[i] >> 4];
    encoded += hex[out[i] & 0xf];
  }
  return Digest{std::string(algorithm), std::move(encoded)};
}

bool matches_digest(const Digest& expected, std::string_view content) {
  return compute_digest(expected.algorithm, content) == expected;
}

}  // namespace iu::dockerv2
