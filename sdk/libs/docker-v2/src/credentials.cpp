#include "iu/dockerv2/credentials.hpp"

namespace iu::dockerv2 {

void CredentialProvider::rejected(sdk::Call&, const BasicCredentials&) {}

BasicCredentials RequestCredentials::credentials(sdk::Call&, const sdk::RepoRequest& request) {
  return BasicCredentials{std::string(request.username), std::string(request.password),
                          std::string(request.identity)};
}

}  // namespace iu::dockerv2
