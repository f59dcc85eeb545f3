// SHA-256 for the values the write-back derives from text: .SHA256 and .TargetKey of branch
// templates, and cache folder names.
#pragma once

#include <string>
#include <string_view>

namespace iu::gitwb {

// Lower-case hex SHA-256 of `data` (OpenSSL's libcrypto).
std::string sha256_hex(std::string_view data);

}  // namespace iu::gitwb
