// Commit signing (SPEC §9.7): OpenPGP through gpgme with a key id, or SSH through
// `ssh-keygen -Y sign -n git` with a private key file. The signature is stored in the commit's
// gpgsig header, as git does.
#pragma once

#include <memory>
#include <string>

#include "settings.hpp"

namespace iu::gitwb {

class Signer {
 public:
  virtual ~Signer() = default;
  // Detached, armored signature of `commit_buffer`. Throws iu::sdk::Error(INTERNAL) with the
  // signer's reason.
  virtual std::string sign(const std::string& commit_buffer) const = 0;

  // The signer the configuration asks for, or nullptr when signing_key is empty. Checks the
  // configuration up front (startup, SPEC §9.7: exit 2): an OpenPGP key id with no usable secret
  // key or an unreadable SSH key file throws iu::sdk::Error(INVALID_ARGUMENT) naming
  // signing_key.
  static std::unique_ptr<Signer> create(const Config& config);
};

}  // namespace iu::gitwb
