// Content digests (`sha256:<64 hex>`, `sha512:<128 hex>`): parsing and computing them with
// OpenSSL's libcrypto. Content fetched by digest is only accepted when it hashes to that digest.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iu::dockerv2 {

struct Digest {
  std::string algorithm;  // "sha256" or "sha512"
  std::string encoded;    // lower-case hex of the right length

  std::string str() const { return algorithm + ":" + encoded; }
  bool operator==(const Digest&) const = default;
};

// Parses a digest of a supported algorithm; nullopt for anything else (unknown algorithm,
// upper-case or wrong-length hex, missing ':').
std::optional<Digest> parse_digest(std::string_view text);

// The digest of `content` with `algorithm` ("sha256" or "sha512"). Throws std::invalid_argument
// for another algorithm.
Digest compute_digest(std::string_view algorithm, std::string_view content);

// True when `content` hashes to `expected`.
bool matches_digest(const Digest& expected, std::string_view content);

}  // namespace iu::dockerv2
