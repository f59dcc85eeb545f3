#include "credentials.hpp"

namespace iu::gitwb {

std::string CredentialState::describe() const {
  if (missing) {
    return credentials == nullptr || credentials->empty()
               ? "authentication required, but no credentials are configured for this repository"
               : "authentication required, but the configured credentials do not fit the "
                 "transport (user/password for HTTPS, an SSH private key for SSH)";
  }
  std::string who = credentials != nullptr && !credentials->username.empty()
                        ? " for user \"" + credentials->username + "\""
                        : std::string();
  return "authentication failed" + who + " (credentials refused by the server)";
}

int acquire_credentials(git_credential** out, const char* /*url*/, const char* username_from_url,
                        unsigned int allowed_types, void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  if (state->offered > 0) {
    state->rejected = true;
    git_error_set_str(GIT_ERROR_CALLBACK, "credentials refused by the server");
    return GIT_EAUTH;
  }
  const GitCredentials* c = state->credentials;
  if (c != nullptr) {
    if ((allowed_types & GIT_CREDENTIAL_SSH_MEMORY) != 0 && !c->ssh_private_key.empty()) {
      const char* user = username_from_url != nullptr && *username_from_url != '\0'
                             ? username_from_url
                             : (c->username.empty() ? "git" : c->username.c_str());
      ++state->offered;
      return git_credential_ssh_key_memory_new(out, user, nullptr, c->ssh_private_key.c_str(),
                                               nullptr);
    }
    if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) != 0 &&
        (!c->username.empty() || !c->password.empty())) {
      ++state->offered;
      return git_credential_userpass_plaintext_new(out, c->username.c_str(), c->password.c_str());
    }
  }
  state->missing = true;
  git_error_set_str(GIT_ERROR_CALLBACK, "no usable credentials");
  return GIT_EAUTH;
}

}  // namespace iu::gitwb
