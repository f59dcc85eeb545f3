// The libgit2 credential callback: hands the intent's resolved credentials to the transport
// once per operation, and records why authentication failed so that the error can say so
// (without ever containing the secret).
#pragma once

#include <git2.h>

#include <string>

namespace iu::gitwb {

struct GitCredentials {
  std::string username;
  std::string password;
  std::string ssh_private_key;  // PEM/OpenSSH text
  bool empty() const { return username.empty() && password.empty() && ssh_private_key.empty(); }
};

// Per-operation state; pass it as the callbacks' payload through CallbackPayload.
struct CredentialState {
  const GitCredentials* credentials = nullptr;
  int offered = 0;        // how many times credentials were handed out
  bool rejected = false;  // the server refused what we offered
  bool missing = false;   // the server wanted credentials we do not have

  void reset() { offered = 0, rejected = false, missing = false; }
  bool failed() const { return rejected || missing; }
  // "authentication failed: ..." text naming the user and the kind of credential, never the secret.
  std::string describe() const;
};

// git_credential_acquire_cb. Offers credentials once; a second request in the same operation
// means they were refused, and the operation is ended with GIT_EAUTH.
int acquire_credentials(git_credential** out, const char* url, const char* username_from_url,
                        unsigned int allowed_types, void* payload);

}  // namespace iu::gitwb
